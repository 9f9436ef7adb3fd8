"""The centre star rating (Modul Penarafan Bintang): publishing criteria and rating a year.

``scheme_upload`` stores the body's YAML as the next version of the criteria (every
problem named, nothing half-saved; the same content again changes nothing).
``rating_rebuild`` rates every accredited centre of a year in one go: six reads of the
records (results, verifications, accreditations, their history, complaints closed, checked
facilities declarations), the measures and points
computed by ``skills.rating_rules``, two bulk writes. Idempotent: the year's ratings are
replaced as a whole. The services that change a measure's records announce it
(``rating_changed``); a debounced task rebuilds the year once they commit, and a periodic
task and ``manage.py skills_rating_rebuild YEAR`` catch up.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import yaml
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rollups.debounce import Debounce

from .. import rating_rules, rules
from ..facility_rules import CHECKED, CONFIRMED
from ..models import (
    Accreditation,
    AccreditationEvent,
    CentreRating,
    CentreRatingLine,
    Complaint,
    FacilityItem,
    RatingCriterion,
    RatingScheme,
    Result,
    Verification,
)
from ..selectors.accreditation import _STATE_AFTER

RATING_DIR = Path(__file__).resolve().parent.parent / "rating"
DEFAULT_FILE = RATING_DIR / "criteria-v1.yaml"
# The versions of the criteria shipped with the portal, in order, with the year each
# applies from (None: the year ``scheme_default`` is given). Version 2 adds complaints
# upheld and facilities checked, whose records exist from 2026.
BUNDLED = ((DEFAULT_FILE, None), (RATING_DIR / "criteria-v2.yaml", 2026))
LOCK_KEY = 0x5C112
RATING_SOON = Debounce(
    "skills:rating", 60, "Skills centre ratings of %s", "the periodic rating rebuild catches up"
)


def rating_changed(*, year: int) -> None:
    """Announce that a measure of ``year`` changed (call inside the transaction)."""
    from ..tasks import refresh_ratings

    RATING_SOON.announce(refresh_ratings, int(year))


# --- the criteria ---
def _canonical(scheme: rating_rules.Scheme) -> str:
    return json.dumps(
        {"criteria": [[c.code, c.name_ms, c.name_en, c.measure, c.weight, c.bands, c.note]
                      for c in scheme.criteria],
         "stars": scheme.stars, "note": scheme.note},
        sort_keys=True, default=str,
    )  # fmt: skip


def scheme_read(data: bytes) -> rating_rules.Scheme:
    """Parse an uploaded criteria file (size first, YAML safe_load) or raise SchemeErrors."""
    if len(data) > rating_rules.MAX_SCHEME_BYTES:
        raise rating_rules.SchemeErrors(
            [_("The file is larger than %(n)s KB.") % {"n": rating_rules.MAX_SCHEME_BYTES // 1024}]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise rating_rules.SchemeErrors([_("The file is not UTF-8 text.")]) from None
    if "\x00" in text:
        raise rating_rules.SchemeErrors([_("The file is not UTF-8 text.")])
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" at line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise rating_rules.SchemeErrors(
            [_("The file is not valid YAML%(where)s.") % {"where": where}]
        ) from None
    return rating_rules.parse_scheme(loaded)


@transaction.atomic
def scheme_upload(*, data: bytes, from_year: int, by=None):
    """Store ``data`` as the next version applying from ``from_year``; return (scheme, created).

    The same criteria as the latest version, from the same year, change nothing.
    """
    scheme = scheme_read(data)
    digest = _digest(scheme)
    latest = RatingScheme.objects.select_for_update().order_by("-version").first()
    if latest is not None and latest.digest == digest and latest.from_year == from_year:
        return latest, False
    if latest is not None and from_year < latest.from_year:
        raise rating_rules.SchemeErrors(
            [_("A new version cannot apply before %(year)s, the year the current one applies "
               "from.") % {"year": latest.from_year}]
        )  # fmt: skip
    stored = RatingScheme.objects.create(
        version=(latest.version + 1) if latest else 1, from_year=from_year,
        source=data.decode("utf-8"), digest=digest, note=scheme.note,
        stars=[list(s) for s in scheme.stars], uploaded_by=by,
    )  # fmt: skip
    RatingCriterion.objects.bulk_create(
        RatingCriterion(scheme=stored, code=c.code, name_ms=c.name_ms, name_en=c.name_en,
                        measure=c.measure, weight=c.weight, bands=[list(b) for b in c.bands],
                        note=c.note, order=i)
        for i, c in enumerate(scheme.criteria)
    )  # fmt: skip
    this = timezone.localdate().year
    for year in range(from_year, this + 1):
        rating_changed(year=year)
    return stored, True


def _digest(scheme: rating_rules.Scheme) -> str:
    return hashlib.sha256(_canonical(scheme).encode()).hexdigest()


def scheme_default(*, from_year: int = 2000) -> RatingScheme:
    """The first published version, publishing the bundled versions not stored yet.

    The bundled files (``BUNDLED``) are published in order, each from its own year (version
    1 from ``from_year``), while the stored versions are the bundled ones: once the body has
    published a version of its own, the bundled ones never come after it.
    """
    stored = dict(RatingScheme.objects.values_list("version", "digest"))
    for version, (path, year) in enumerate(BUNDLED, start=1):
        data = path.read_bytes()
        if version in stored:
            if stored[version] != _digest(scheme_read(data)):
                break  # the body's own version: the bundled ones stop here
            continue
        if len(stored) != version - 1:
            break
        latest = RatingScheme.objects.order_by("-version").first()
        applies = year if year is not None else from_year
        if latest is not None:
            applies = max(applies, latest.from_year)
        stored[version] = scheme_upload(data=data, from_year=applies)[0].digest
    return RatingScheme.objects.order_by("version").first()


def scheme_for_year(year: int):
    """The version a year is rated with: the latest applying from that year or before."""
    return RatingScheme.objects.filter(from_year__lte=year).order_by("-version").first()


# --- the measures of a year, for every centre at once ---
def _window(year: int, today: datetime.date):
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)


def _compliance(year: int, today: datetime.date, centre_ids=None) -> dict:
    """{centre: (granted days, compliant days)} of the accreditations granted in the year."""
    start, end = _window(year, today)
    # Never granted (no valid-from, no approval): counted nowhere by compliance_days.
    accreditations = Accreditation.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=start)
    )
    if centre_ids is not None:
        accreditations = accreditations.filter(centre_id__in=centre_ids)
    rows = list(accreditations.values_list("pk", "centre_id", "state", "valid_from", "expires_on"))
    changes = defaultdict(list)
    for acc, act, at in (
        AccreditationEvent.objects.filter(accreditation__in=[r[0] for r in rows])
        .order_by("at", "pk").values_list("accreditation_id", "act", "at")
    ):  # fmt: skip
        day = timezone.localdate(at) if timezone.is_aware(at) else at.date()
        previous = changes[acc][-1][1] if changes[acc] else rules.APPLIED
        changes[acc].append((day, _STATE_AFTER.get(act, previous)))
    days = defaultdict(lambda: [0, 0])
    for pk, centre, state, valid_from, expires_on in rows:
        if valid_from is None:  # the approval's day, as the accreditation selectors read it
            valid_from = next((d for d, s in changes[pk] if s == rules.APPROVED), None)
        granted, compliant = rating_rules.compliance_days(
            start, end, valid_from, expires_on, changes[pk], state
        )
        if granted:
            days[centre][0] += granted
            days[centre][1] += compliant
    return dict(days)


def measures(*, year: int, today: datetime.date | None = None, centre_ids=None) -> dict:
    """{centre: {measure: (value or None, [part, whole])}} of the centres accredited in
    ``year`` (granted at least one day of it)."""
    today = today or timezone.localdate()
    compliance = _compliance(year, today, centre_ids)
    results = Result.objects.filter(assessed_on__year=year)
    verifications = Verification.objects.filter(at__year=year)
    if centre_ids is not None:
        results = results.filter(enrolment__intake__centre_id__in=centre_ids)
        verifications = verifications.filter(intake__centre_id__in=centre_ids)
    passed = {
        c: (a, k)
        for c, a, k in results.values_list("enrolment__intake__centre_id")
        .annotate(a=Count("pk"), k=Count("pk", filter=Q(outcome=rules.COMPETENT))).order_by()
    }  # fmt: skip
    verified = {
        c: (n, r, f, i)
        for c, n, r, f, i in verifications.values_list("intake__centre_id")
        .annotate(n=Count("pk"), r=Count("pk", filter=Q(decision=rules.INTAKE_RETURNED)),
                  f=Count("pk", filter=~Q(findings="")), i=Count("intake", distinct=True))
        .order_by()
    }  # fmt: skip
    # Complaints about a centre closed in the year: (upheld, closed) counted in the database.
    closed = Complaint.objects.filter(centre__isnull=False, closed_at__year=year)
    # Facilities: the items of the year's checked declarations, (confirmed, items).
    items = FacilityItem.objects.filter(declaration__year=year, declaration__state=CHECKED)
    if centre_ids is not None:
        closed = closed.filter(centre_id__in=centre_ids)
        items = items.filter(declaration__centre_id__in=centre_ids)
    complaints = {
        c: (u, n)
        for c, u, n in closed.values_list("centre_id")
        .annotate(u=Count("pk", filter=Q(upheld=True)), n=Count("pk")).order_by()
    }  # fmt: skip
    facilities = {
        c: (k, n)
        for c, k, n in items.values_list("declaration__centre_id")
        .annotate(k=Count("pk", filter=Q(finding=CONFIRMED)), n=Count("pk")).order_by()
    }  # fmt: skip
    found = {}
    for centre, (granted, compliant) in compliance.items():
        a, k = passed.get(centre, (0, 0))
        n, r, f, i = verified.get(centre, (0, 0, 0, 0))
        upheld, closed_n = complaints.get(centre, (0, 0))
        confirmed, checked = facilities.get(centre, (0, 0))
        found[centre] = {
            "results.pass_rate": (rating_rules.ratio(k, a), [k, a]),
            "verification.returned_share": (rating_rules.ratio(r, n), [r, n]),
            "verification.findings": (rating_rules.ratio(f, i, scale=1), [f, i]),
            "accreditation.compliance": (rating_rules.ratio(compliant, granted),
                                         [compliant, granted]),
            "complaints.upheld": (float(upheld), [upheld, closed_n]),
            "facilities.checked": (rating_rules.ratio(confirmed, checked), [confirmed, checked]),
        }  # fmt: skip
    return found


def rate(criteria, star_bands, values: dict):
    """(total, stars, [(criterion, value, points, counts)]) of one centre, or None: no data."""
    lines, scored = [], []
    for criterion in criteria:
        value, counts = values.get(criterion.measure, (None, []))
        better = rating_rules.MEASURES[criterion.measure][0]
        got = None if value is None else rating_rules.points(value, criterion.bands, better)
        lines.append((criterion, value, got, counts))
        scored.append((got, criterion.weight))
    total = rating_rules.total(scored)
    if total is None:
        return None
    return total, rating_rules.stars(total, star_bands), lines


def _lock(year: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, year])


@transaction.atomic
def rating_rebuild(*, year: int, today: datetime.date | None = None) -> int:
    """Rate every centre accredited in ``year``; replace the year's ratings; return how many."""
    _lock(year)
    scheme_default()  # the bundled versions not published yet (a query when they all are)
    scheme = scheme_for_year(year)
    if scheme is None:  # the published criteria apply only from a later year
        return 0
    criteria = list(scheme.criteria.all())
    for c in criteria:
        c.bands = [tuple(b) for b in c.bands]
    star_bands = [tuple(s) for s in scheme.stars]
    found = measures(year=year, today=today)
    CentreRatingLine.objects.filter(rating__year=year).delete()
    CentreRating.objects.filter(year=year).delete()
    now = timezone.now()
    rated = []
    for centre, values in sorted(found.items()):
        outcome = rate(criteria, star_bands, values)
        if outcome is not None:
            rated.append((CentreRating(centre_id=centre, year=year, scheme=scheme,
                                       total=outcome[0], stars=outcome[1], computed_at=now),
                          outcome[2]))  # fmt: skip
    CentreRating.objects.bulk_create([r for r, _l in rated], batch_size=2000)
    CentreRatingLine.objects.bulk_create(
        (
            CentreRatingLine(rating=rating, criterion=criterion, value=value, points=got,
                             weight=criterion.weight, counts=counts)
            for rating, lines in rated
            for criterion, value, got, counts in lines
        ),
        batch_size=5000,
    )  # fmt: skip
    return len(rated)
