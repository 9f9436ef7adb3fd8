"""The review workflow's acts: submit, verify, return, reopen.

Each act locks its subject, checks the transition (``rules.refusal``),
records an event (who, when, why, until) and commits with it, all or
nothing. Once committed, it is announced to the programme
(``programmes.listen``: roll-ups, summaries) and a return is e-mailed to the
school.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import programmes, rules
from .models import ReviewEvent, ReviewSubject

logger = logging.getLogger(__name__)

COMMENT_MAX_LENGTH = 2000


class Incomplete(ValidationError):
    """Verifying or submitting data with something missing needs a confirmation."""

    def __init__(self, missing: list[str], act: str = rules.VERIFY):
        self.missing = list(missing)
        self.act = act
        if act == rules.SUBMIT:
            text = _("This data is incomplete: %(missing)s Confirm to submit it anyway.")
        else:
            text = _("This data is incomplete: %(missing)s Confirm to verify it anyway.")
        super().__init__(text % {"missing": " ".join(self.missing)})


def _locked_subject(programme, year, window, school) -> ReviewSubject:
    subject, _created = ReviewSubject.objects.get_or_create(
        programme=programme.code, year=year, window=window, school=school
    )
    return ReviewSubject.objects.select_for_update().select_related("school").get(pk=subject.pk)


@transaction.atomic
def subject_act(
    *,
    programme: str,
    year: int,
    school,
    act: str,
    by,
    window: str = "",
    comment: str = "",
    until=None,
    confirmed: bool = False,
    on=None,
) -> ReviewEvent:
    """Do ``act`` (``rules.ACTS``) on a school's subject; return the recorded event.

    Refused with a ValidationError naming why (an act not allowed from the
    subject's state, a return without a comment, a reopening date in the
    past); a verification or a submission of data with something missing
    raises ``Incomplete`` unless ``confirmed`` (what was missing is kept on
    the event). Nothing is written when refused.
    """
    found = programmes.get(programme)
    if window not in found.windows:
        raise ValidationError(_("Choose a collection window."))
    today = on or found.today()
    comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    subject = _locked_subject(found, year, window, school)
    why = rules.refusal(act, subject.state, comment=comment, until=until, today=today)
    if why is not None:
        raise ValidationError(str(why))
    missing = []
    if act in (rules.VERIFY, rules.SUBMIT):
        missing = found.missing(subject)
        if missing and not confirmed:
            raise Incomplete(missing, act)
    if act == rules.VERIFY:
        subject.figures = found.figures_when_verified(subject)
    if act in (rules.VERIFY, rules.RETURN):
        subject.comment = comment
    if act == rules.REOPEN:
        subject.reopened_until = until
    now = timezone.now()
    subject.state = rules.next_state(act)
    subject.decided_by, subject.decided_at = by, now
    subject.save()
    event = ReviewEvent.objects.create(
        subject=subject,
        act=act,
        comment=comment,
        until=until if act == rules.REOPEN else None,
        missing=missing,
        by=by,
        at=now,
    )
    transaction.on_commit(partial(_announce, subject.pk, act), robust=True)
    return event


def subject_submit(*, programme, year, school, by, window="", comment="", confirmed=False, on=None):
    """The school says its data is ready to be checked (it stays open for entry).

    ``Incomplete`` if something is missing, unless ``confirmed``.
    """
    return subject_act(programme=programme, year=year, school=school, window=window,
                       act=rules.SUBMIT, by=by, comment=comment, confirmed=confirmed,
                       on=on)  # fmt: skip


def subject_verify(*, programme, year, school, by, window="", comment="", confirmed=False, on=None):
    """An officer verifies the data: it is locked (``Incomplete`` if something is missing)."""
    return subject_act(programme=programme, year=year, school=school, window=window,
                       act=rules.VERIFY, by=by, comment=comment, confirmed=confirmed,
                       on=on)  # fmt: skip


def subject_return(*, programme, year, school, by, comment, window="", on=None):
    """An officer returns the data to the school with a comment (the school is e-mailed)."""
    return subject_act(programme=programme, year=year, school=school, window=window,
                       act=rules.RETURN, by=by, comment=comment, on=on)  # fmt: skip


def subject_reopen(*, programme, year, school, by, until, reason="", window="", on=None):
    """An officer reopens the school's entry until a date (inclusive), saying why."""
    return subject_act(programme=programme, year=year, school=school, window=window,
                       act=rules.REOPEN, by=by, comment=reason, until=until, on=on)  # fmt: skip


def _announce(subject_id: int, act: str) -> None:
    """After the act committed: tell the programme, and e-mail a return to the school."""
    subject = ReviewSubject.objects.select_related("school", "decided_by").get(pk=subject_id)
    for callback in programmes.listeners(subject.programme):
        try:
            callback(subject, act)
        except Exception:
            # The act has committed; the programme's safety nets rebuild what follows it.
            logger.warning("Review of %s: a listener failed", subject, exc_info=True)
    if act == rules.RETURN:
        return_notice_send(subject=subject)


def school_addresses(school) -> list[str]:
    """Return the school's e-mail addresses: its own and its staff accounts', each once."""
    from django.contrib.auth import get_user_model

    staff = (
        get_user_model()
        .objects.filter(school=school, is_active=True)
        .exclude(email="")
        .exclude(role="respondent")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a for a in (school.email, *staff) if a))


def return_message(*, subject: ReviewSubject, base_url: str = "") -> tuple[str, str]:
    """Return the (subject line, body) telling a school its data was returned, in Malay."""
    found = programmes.get(subject.programme)
    by = subject.decided_by
    with translation.override(settings.LANGUAGE_CODE):
        what = found.label(subject.year, subject.window)
        line = _("%(what)s: your data was returned with a comment") % {"what": what}
        body = _(
            "To %(name)s (%(code)s),\n\n"
            "Your %(what)s data was returned by %(by)s with this comment:\n\n"
            "%(comment)s\n\n"
            "Please correct it and tell your officer when it is done: %(url)s\n\n"
            "SSQS Portal, Ministry of Education Malaysia"
        ) % {
            "name": subject.school.name,
            "code": subject.school.code,
            "what": what,
            "by": (by.get_full_name() or by.username) if by else "-",
            "comment": subject.comment,
            "url": (base_url or settings.PORTAL_BASE_URL or "").rstrip("/")
            + found.page_url(subject),
        }
    return line, body


def return_notice_send(*, subject: ReviewSubject) -> int:
    """E-mail the return's comment to the school's addresses; return how many were sent to."""
    to = school_addresses(subject.school)
    if not to:
        return 0
    line, body = return_message(subject=subject)
    try:
        send_mail(line, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    except Exception:
        # The return is recorded and shown on the school's pages; the mail is a courtesy.
        logger.warning("Return notice to %s not sent", subject.school_id, exc_info=True)
        return 0
    return len(to)
