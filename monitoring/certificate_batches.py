"""Certificate batches: a district's SSQS certificates built as one PDF in the
background, with a heartbeat so a stalled batch can be restarted."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from surveys.models import Rating

from .rules import BATCH_STALLS_AFTER

logger = logging.getLogger(__name__)


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

    from surveys.pdfs import certificate

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
    buffer = io.BytesIO()
    try:
        with (
            translation.override(settings.LANGUAGE_CODE),
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for done, rating in enumerate(ratings, start=1):
                document = certificate(
                    school=rating.school,
                    cycle=batch.cycle,
                    rating=rating,
                    lang=settings.LANGUAGE_CODE,
                )
                archive.writestr(document.filename, document.data)
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
