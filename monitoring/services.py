"""Writes of the monitoring tables: per-school progress, roll-ups, reminders."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import School
from ssqs_portal.db import copy_upsert
from ssqs_portal.hierarchy import group_by_node, rollups_store
from ssqs_portal.numbers import exact, two_decimals
from surveys.models import Cycle, Rating, Respondent
from surveys.presenters import indicators_with_data

from .models import Reminder, RollUp, SchoolProgress
from .rules import BATCH_STALLS_AFTER

logger = logging.getLogger(__name__)

INDICATORS = ("usage", "human_capital", "applications", "infrastructure")
PROGRESS_FIELDS = [
    "district",
    "state",
    "status",
    "started",
    "finished",
    "required",
    "score",
    "stars",
    "rating_status",
    *INDICATORS,
    "updated_at",
]
# The same, as database columns, in the order progress_refresh builds its rows.
PROGRESS_COLUMNS = [
    f"{name}_id" if name in ("district", "state") else name for name in PROGRESS_FIELDS
]
COPY_ABOVE = 100


def status_of(started: int, finished: int, required: int) -> str:
    """Return a school's completeness: nobody started, everyone finished, or between."""
    if required and finished == required:
        return SchoolProgress.Status.COMPLETE
    if started == 0:
        return SchoolProgress.Status.NOT_STARTED
    return SchoolProgress.Status.IN_PROGRESS


def progress_refresh(*, cycle_id: int, school_ids=None) -> int:
    """Recount the SSQS progress of schools (all by default) from respondents and ratings."""
    schools = (
        School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
    )
    respondents = Respondent.objects.filter(cycle_id=cycle_id)
    ratings = Rating.objects.filter(cycle_id=cycle_id)
    if school_ids is not None:
        respondents = respondents.filter(school_id__in=school_ids)
        ratings = ratings.filter(school_id__in=school_ids)
    counts = {
        row["school_id"]: row
        for row in respondents.values("school_id").annotate(
            required=Count("id"),
            started=Count("id", filter=Q(started_at__isnull=False)),
            finished=Count("id", filter=Q(completed_at__isnull=False)),
        )
    }
    rated = {}
    for row in ratings.values_list(
        "school_id", "score", "stars", "status", *INDICATORS, "breakdown__indicators"
    ):
        # An indicator nobody has answered yet is no data (NULL), not a zero. (A
        # rating without a breakdown, from before breakdowns were kept, is taken as is.)
        answered = INDICATORS if row[-1] is None else indicators_with_data(row[-1])
        rated[row[0]] = (
            *row[:4],
            *(
                value if name in answered else None
                for name, value in zip(INDICATORS, row[4:-1], strict=True)
            ),
        )
    now = timezone.now()
    rows = []
    for school_id, district_id, state_id in schools.values_list(
        "pk", "district_id", "district__state_id"
    ).iterator(chunk_size=5000):
        c = counts.get(school_id, {"required": 0, "started": 0, "finished": 0})
        r = rated.get(school_id)
        rows.append(
            (
                cycle_id,
                school_id,
                district_id,
                state_id,
                status_of(c["started"], c["finished"], c["required"]),
                c["started"],
                c["finished"],
                c["required"],
                *(r[1:] if r else (None, None, "", None, None, None, None)),
                now,
            )
        )
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        # The nation's 10,000 rows: COPY, not 10,000 model instances.
        copy_upsert(SchoolProgress, ["cycle_id", "school_id"], PROGRESS_COLUMNS, rows)
        return len(rows)
    SchoolProgress.objects.bulk_create(
        [SchoolProgress(**dict(zip(["cycle_id", "school_id", *PROGRESS_COLUMNS], row, strict=True)))
         for row in rows],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["cycle", "school"],
        update_fields=PROGRESS_FIELDS,
    )  # fmt: skip
    return len(rows)


def rollup_rows(cycle_id: int):
    """Return the cycle's progress rows joined to their school's review (``_aggregates``' input)."""
    from core.review.selectors import subjects_relation

    year = Cycle.objects.values_list("year", flat=True).get(pk=cycle_id)
    return SchoolProgress.objects.filter(cycle_id=cycle_id).annotate(
        review=subjects_relation(programme="ssqs", year=year, window="")
    )


def _aggregates():
    """The roll-up's figures over ``rollup_rows``."""
    stars = {}
    for n in range(1, 6):
        stars[f"p{n}"] = Count("id", filter=Q(stars=n, rating_status="provisional"))
        stars[f"f{n}"] = Count("id", filter=Q(stars=n, rating_status="final"))
    return {
        "schools": Count("id"),
        "not_started": Count("id", filter=Q(status="not_started")),
        "in_progress": Count("id", filter=Q(status="in_progress")),
        "complete": Count("id", filter=Q(status="complete")),
        # Verified in the review workflow (core.review): at most one subject per school.
        "verified": Count("review", filter=Q(review__state="verified")),
        "respondents_finished": Sum("finished"),
        "respondents_required": Sum("required"),
        "rated": Count("score"),
        "sum_score": Sum("score"),
        **{f"sum_{name}": Sum(name) for name in INDICATORS},
        **{f"n_{name}": Count(name) for name in INDICATORS},
        **stars,
    }


def _mean(total, count):
    """Return total / count to two places, halves up and exact (None when nothing counts).

    Not the database's AVG: stored in a two-place column it would be rounded
    halves to even (79.545 -> 79.54), against the rule of every figure shown.
    """
    return two_decimals(exact(total) / count) if count and total is not None else None


def _rollup(cycle_id, level, code, name, parent, row, now):
    return RollUp(
        cycle_id=cycle_id,
        level=level,
        code=code,
        name=name,
        parent_code=parent,
        schools=row["schools"],
        not_started=row["not_started"],
        in_progress=row["in_progress"],
        complete=row["complete"],
        verified=row["verified"],
        respondents_finished=row["respondents_finished"] or 0,
        respondents_required=row["respondents_required"] or 0,
        stars_provisional=[row[f"p{n}"] for n in range(1, 6)],
        stars_final=[row[f"f{n}"] for n in range(1, 6)],
        rated=row["rated"],
        mean_score=_mean(row["sum_score"], row["rated"]),
        computed_at=now,
        indicator_schools={name: row[f"n_{name}"] for name in INDICATORS},
        **{f"mean_{name}": _mean(row[f"sum_{name}"], row[f"n_{name}"]) for name in INDICATORS},
    )


@transaction.atomic
def rollups_rebuild(*, cycle_id: int, refresh_progress: bool = True) -> int:
    """Rebuild every district, state and national roll-up of a cycle. Idempotent.

    Three GROUP BY queries over the per-school progress rows; the rows are
    upserted, so two runs at once give the same numbers.
    """
    if refresh_progress:
        progress_refresh(cycle_id=cycle_id)
    progress = rollup_rows(cycle_id)
    now = timezone.now()
    rows = [
        _rollup(cycle_id, level, code, name, parent, figures, now)
        for level, code, name, parent, figures in group_by_node(progress, _aggregates())
    ]
    return rollups_store(RollUp, rows, cycle=cycle_id)


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
