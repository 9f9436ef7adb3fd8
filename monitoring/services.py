"""Writes of the monitoring tables: reviews, reminders, certificate batches.

The progress rows and roll-ups are written by ``monitoring.rollups``.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Rating

from .models import Reminder, SchoolProgress, SchoolReview
from .rules import BATCH_STALLS_AFTER

logger = logging.getLogger(__name__)


@transaction.atomic
def school_review(*, cycle, school, decision: str, comment: str, by) -> SchoolReview:
    """Record that an officer verified a school's data, or returned it with a comment."""
    from django.core.exceptions import ValidationError

    if decision not in ("verified", "returned"):
        raise ValidationError(_("Choose verify or return."))
    if decision == "returned" and not comment.strip():
        raise ValidationError(_("Say why the data is returned: the school reads the comment."))
    review = SchoolReview.objects.create(
        cycle=cycle, school=school, decision=decision, comment=comment.strip(), by=by
    )
    SchoolProgress.objects.filter(cycle=cycle, school=school).update(review=decision)
    return review


def reminder_message(*, cycle, school, by, base_url: str) -> tuple[str, str]:
    """Return the (subject, body) of the reminder to one school, in the portal's language.

    The body names the school and the closing date, links to the portal's
    login page and is signed with the officer's name, office and e-mail.
    """
    from django.urls import reverse
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SSQS %(year)s: %(code)s has not started yet") % {
            "year": cycle.year,
            "code": school.code,
        }
        signature = "\n".join(
            line
            for line in (
                by.get_full_name() or by.username,
                _("Officer, %(office)s") % {"office": by.scope_label()},
                by.email,
                _("SSQS Portal, Ministry of Education Malaysia"),
            )
            if line
        )
        body = _(
            "To the ICT coordinator of %(name)s (%(code)s),\n\n"
            "No respondent of your school has started SSQS %(year)s yet. Filling closes on "
            "%(closes)s.\n\n"
            "Please log in to the SSQS Portal at %(url)s with your school code, print the "
            "respondent slips from Maklumat Responden and hand them out, so that every "
            "respondent can finish before the closing date.\n\n"
            "Thank you.\n\n%(signature)s"
        ) % {
            "name": school.name,
            "code": school.code,
            "year": cycle.year,
            "closes": date_format(cycle.closes_on, "j F Y"),
            "url": base_url.rstrip("/") + reverse("accounts:login"),
            "signature": signature,
        }
    return subject, body


def reminder_recipients(schools) -> dict:
    """Return {school id: [addresses]}: the school's own and its coordinator's, if any."""
    from django.contrib.auth import get_user_model

    coordinators = dict(
        get_user_model()
        .objects.filter(role="coordinator", school__in=schools)
        .exclude(email="")
        .values_list("school_id", "email")
    )
    out = {}
    for school in schools:
        to = list(dict.fromkeys(a for a in (school.email, coordinators.get(school.pk)) if a))
        if to:
            out[school.pk] = to
    return out


def reminders_send(*, cycle, schools, by, base_url: str | None = None) -> int:
    """E-mail each not-started school (its address and its coordinator); record each one."""
    base_url = base_url or settings.PORTAL_BASE_URL
    recipients = reminder_recipients(schools)
    messages, records = [], []
    for school in schools:
        to = recipients.get(school.pk)
        if not to:
            continue
        subject, body = reminder_message(cycle=cycle, school=school, by=by, base_url=base_url)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))
        records.append(Reminder(cycle=cycle, school=school, to=", ".join(to), by=by))
    send_mass_mail(messages, fail_silently=False)
    Reminder.objects.bulk_create(records)
    return len(records)


def certificate_batch_request(*, cycle, district, by):
    """Queue the star certificates of a district's schools with a final rating.

    Returns None, queueing nothing, when no school has one: an empty batch
    would only offer an empty download.
    """
    from .models import CertificateBatch
    from .tasks import build_certificate_batch

    total = Rating.objects.filter(
        cycle=cycle, school__district=district, status=Rating.Status.FINAL
    ).count()
    if not total:
        return None
    batch = CertificateBatch.objects.create(
        cycle=cycle, district=district, requested_by=by, total=total
    )
    transaction.on_commit(lambda: _enqueue_batch(build_certificate_batch, batch.pk))
    return batch


def certificate_batch_build(*, batch_id: int):
    """Build a queued batch into a ZIP of PDFs, counting progress as it goes.

    The batch is claimed with a conditional UPDATE: a queued batch, or a
    stalled one (``rules.batch_is_stalled``: its worker was killed), so a
    second worker given the same id does nothing while the first is alive.
    Returns True if this call built it, None if another worker is building it
    now (ask again once it could have stalled), False if there is nothing to do.
    """
    import io
    import zipfile

    from django.core.files.base import ContentFile
    from django.utils import translation

    from ssqs_portal.pdf import render_pdf_bytes
    from surveys.presenters import result_view

    from .models import CertificateBatch

    now = timezone.now()
    Status = CertificateBatch.Status
    claimed = (
        CertificateBatch.objects.filter(pk=batch_id)
        .filter(
            Q(status=Status.QUEUED)
            | Q(status=Status.RUNNING, heartbeat_at__lte=now - BATCH_STALLS_AFTER)
        )
        .update(status=Status.RUNNING, done=0, error="", heartbeat_at=now)
    )
    if not claimed:
        busy = CertificateBatch.objects.filter(pk=batch_id, status=Status.RUNNING).exists()
        return None if busy else False
    batch = CertificateBatch.objects.select_related("cycle__instrument", "district").get(
        pk=batch_id
    )
    ratings = list(
        Rating.objects.filter(
            cycle=batch.cycle, school__district=batch.district, status=Rating.Status.FINAL
        )
        .select_related("school__district__state")
        .order_by("school__code")
    )
    CertificateBatch.objects.filter(pk=batch_id).update(total=len(ratings))
    spec = batch.cycle.instrument.spec
    buffer = io.BytesIO()
    try:
        with (
            translation.override(settings.LANGUAGE_CODE),
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for done, rating in enumerate(ratings, start=1):
                pdf = render_pdf_bytes(
                    "surveys/pdf/certificate.html",
                    {
                        "school": rating.school,
                        "cycle": batch.cycle,
                        "rating": rating,
                        "view": result_view(spec, rating, settings.LANGUAGE_CODE),
                    },
                )
                archive.writestr(f"ssqs-{batch.cycle.year}-{rating.school.code}-sijil.pdf", pdf)
                CertificateBatch.objects.filter(pk=batch_id).update(
                    done=done, heartbeat_at=timezone.now()
                )
    except Exception as exc:
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=CertificateBatch.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    batch.refresh_from_db()
    batch.file.save(
        f"ssqs-{batch.cycle.year}-{batch.district.code}-sijil.zip",
        ContentFile(buffer.getvalue()),
        save=False,
    )
    CertificateBatch.objects.filter(pk=batch_id).update(
        file=batch.file.name, status=CertificateBatch.Status.DONE, heartbeat_at=timezone.now()
    )
    return True


@transaction.atomic
def certificate_batch_restart(*, batch) -> bool:
    """Queue a failed or stalled batch again and enqueue its build; return whether it was.

    Conditional, so a batch that came back to life (or was restarted by
    someone else) meanwhile is left alone.
    """
    from .models import CertificateBatch
    from .tasks import build_certificate_batch

    now = timezone.now()
    Status = CertificateBatch.Status
    restarted = (
        CertificateBatch.objects.filter(pk=batch.pk)
        .filter(
            Q(status=Status.FAILED)
            | Q(
                status__in=[Status.QUEUED, Status.RUNNING],
                heartbeat_at__lte=now - BATCH_STALLS_AFTER,
            )
        )
        .update(status=Status.QUEUED, done=0, error="", heartbeat_at=now)
    )
    if restarted:
        transaction.on_commit(lambda: _enqueue_batch(build_certificate_batch, batch.pk))
    return bool(restarted)


def _enqueue_batch(task, batch_id):
    try:
        task.delay(batch_id)
    except Exception:
        # The batch stays queued: it shows as stalled later, with the restart button.
        logger.warning("Certificate batch %s not enqueued", batch_id, exc_info=True)
