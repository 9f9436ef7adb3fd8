"""Complaints (Modul Aduan): filing one, and the body's acts on it; every step an event.

Each act is one transaction that locks the complaint, checks the pure rule
(``skills.complaint_rules.act_refusal``), changes the complaint and appends one
``ComplaintEvent`` (never edited). The complainant gets the reference by e-mail
when they gave an address (after the commit). Closing or reopening a complaint about a
centre changes the centre's "complaints upheld" in the star rating (``rating_changed``).
"""

import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import complaint_rules as crules
from ..models import Complaint, ComplaintEvent
from .rating import rating_changed

logger = logging.getLogger(__name__)


class ComplaintRefused(Exception):
    """The act cannot be done; the message says why (nothing was saved)."""


def _new_reference(year: int) -> str:
    return crules.complaint_reference(year, secrets.randbelow)


def complaint_file(*, category, subject, description, name, email="", phone="", centre=None,
                   certificate=None, by=None, lookup_url="") -> Complaint:  # fmt: skip
    """Record a new complaint with a fresh reference (retried on the rare clash)."""
    now = timezone.now()
    today = timezone.localdate(now)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    reference=_new_reference(today.year), category=category,
                    centre=centre if category in crules.CENTRE_CATEGORIES else None,
                    certificate=certificate if category in crules.CERTIFICATE_CATEGORIES
                    else None,
                    subject=subject, description=description, name=name, email=email,
                    phone=phone, filed_by=by if getattr(by, "is_authenticated", False) else None,
                    filed_at=now, due_on=crules.due_on(today), updated_at=now,
                )  # fmt: skip
                ComplaintEvent.objects.create(
                    complaint=complaint, act=crules.FILE, by=complaint.filed_by, at=now
                )
                break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 32**8 references a year
        raise ComplaintRefused(_("The complaint could not be recorded; please try again."))
    if email:
        transaction.on_commit(lambda: _mail_reference(complaint, lookup_url))
    return complaint


def _mail_reference(complaint, lookup_url):
    body = _(
        "Your complaint \"%(subject)s\" was received.\n\nReference number: %(reference)s\n\n"
        "Follow it with this number at %(url)s (no account needed). The body answers "
        "within %(days)s days."
    ) % {"subject": complaint.subject, "reference": complaint.reference, "url": lookup_url,
         "days": crules.SLA_DAYS}  # fmt: skip
    try:
        send_mail(_("Complaint %(reference)s received") % {"reference": complaint.reference},
                  body, settings.DEFAULT_FROM_EMAIL, [complaint.email])  # fmt: skip
    except Exception:  # the complaint stands; the thank-you page showed the number
        logger.warning("Complaint %s: the acknowledgement could not be mailed.", complaint.pk)


@transaction.atomic
def complaint_act(*, complaint: Complaint, act: str, by, note: str = "", assignee=None,
                  upheld: bool | None = None) -> ComplaintEvent:  # fmt: skip
    """Do one of the body's acts on ``complaint`` and record it as an event.

    - assign: to ``assignee`` (a person who may handle complaints: the caller checks);
    - answer: ``note`` is the public answer the complainant reads;
    - note: an internal note (never shown to the complainant);
    - escalate: one level up, ``note`` the reason;
    - close: ``note`` the resolution (public), ``upheld`` whether the complaint stood;
    - reopen: ``note`` the reason.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    refusal = crules.act_refusal(act, status=locked.status,
                                 answered=locked.first_answered_at is not None,
                                 level=locked.level)  # fmt: skip
    if refusal:
        raise ComplaintRefused(refusal)
    note = (note or "").strip()
    if act in (crules.ANSWER, crules.NOTE, crules.ESCALATE, crules.CLOSE, crules.REOPEN) and (
        not note
    ):
        raise ComplaintRefused(_("Write the text of this step."))
    if act == crules.ASSIGN and assignee is None:
        raise ComplaintRefused(_("Choose the person to handle it."))
    if act == crules.CLOSE and upheld is None:
        raise ComplaintRefused(_("Say whether the complaint was upheld."))
    now = timezone.now()
    locked.status = crules.status_after(act, status=locked.status,
                                        assigned=locked.assignee_id is not None)  # fmt: skip
    event = ComplaintEvent(complaint=locked, act=act, note=note, by=by, at=now,
                           public=act in (crules.ANSWER, crules.CLOSE))  # fmt: skip
    if act == crules.ASSIGN:
        locked.assignee = assignee
        event.assignee = assignee
    elif act == crules.ANSWER and locked.first_answered_at is None:
        locked.first_answered_at = now
    elif act == crules.ESCALATE:
        locked.level += 1
        event.level = locked.level
    elif act == crules.CLOSE:
        locked.closed_at, locked.resolution, locked.upheld = now, note, upheld
        if locked.centre_id:  # the centre's "complaints upheld" of the closing year
            rating_changed(year=timezone.localdate(now).year)
    elif act == crules.REOPEN:
        if locked.centre_id and locked.closed_at:  # counted no more in the year it closed
            rating_changed(year=timezone.localdate(locked.closed_at).year)
        locked.closed_at, locked.upheld = None, None
    locked.updated_at = now
    locked.save()
    event.save()
    complaint.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return event
