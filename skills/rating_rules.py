"""The centre star rating's rules (Modul Penarafan Bintang), pure: no database, no clock.

A rating scheme is data the body publishes and edits (``skills/rating/criteria-v1.yaml``
is the first version): its criteria, each reading one measure of a centre's year from a
fixed registry (``MEASURES``), scored into 0-100 points by its bands, weighted; and the
star bands that turn the weighted total into 1-5 stars.

The published rules, as the tests quote them:

- "A criterion scores the points of its bands. Higher is better: the points of the band
  with the highest threshold the value reaches; a value below every threshold scores 0.
  Lower is better: the points of the band with the lowest threshold the value does not
  exceed; a value above every threshold scores 0."
- "A criterion with no data for the centre that year (no results assessed, no
  verification) is left out, and the weights of the others count in its place."
- "The total is the weighted mean of the points, to one decimal. A centre with no data
  in any weighted criterion gets no rating."
- "The stars are those of the highest star band the total reaches."
- "Accreditation compliance: of the days in the year (up to today) each accreditation
  was granted for (from valid-from, or the approval's day, to its expiry), the share on
  which it was neither suspended nor revoked; an act counts from its own day."
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .facility_rules import CONFIRMED

HIGHER, LOWER = "higher", "lower"
MAX_POINTS = 100
MAX_CRITERIA = 20
MAX_SCHEME_BYTES = 64 * 1024

# The fixed registry of measures a criterion may read: code -> (better, explanation).
# A module that brings a new measure adds its entry here and its computation (in bulk, for
# every centre at once) in ``skills.services.rating.measures``.
MEASURES = {
    "results.pass_rate": (
        HIGHER,
        _("Competency-unit results assessed in the year that were competent, in per cent."),
    ),
    "verification.returned_share": (
        LOWER,
        _(
            "Verification rounds of the year in which the external verifier returned the "
            "intake to the centre, in per cent of all rounds."
        ),
    ),  # fmt: skip
    "verification.findings": (
        LOWER,
        _(
            "Verification rounds of the year with findings recorded by the external verifier, "
            "per intake verified."
        ),
    ),  # fmt: skip
    "accreditation.compliance": (
        HIGHER,
        _(
            "Days of the year (up to today) the centre's accreditations were granted for on "
            "which they were neither suspended nor revoked, in per cent."
        ),
    ),  # fmt: skip
    "complaints.upheld": (
        LOWER,
        _(
            "Complaints about the centre closed in the year that the body upheld, counted "
            "(none: 0)."
        ),
    ),  # fmt: skip
    "facilities.checked": (
        HIGHER,
        _(
            "Items of the centre's facilities declaration for the year that the body confirmed "
            "on its visit, in per cent of the items (no checked declaration: no data)."
        ),
    ),  # fmt: skip
}


@dataclass(frozen=True)
class Criterion:
    code: str
    name_ms: str
    name_en: str
    measure: str
    weight: int
    bands: tuple  # ((threshold, points), ...) sorted by threshold
    note: str = ""

    @property
    def better(self) -> str:
        return MEASURES[self.measure][0]


@dataclass(frozen=True)
class Scheme:
    criteria: tuple
    stars: tuple  # ((minimum total, stars), ...) highest first
    note: str = ""


@dataclass
class SchemeErrors(Exception):
    problems: list = field(default_factory=list)

    def __str__(self):
        return "; ".join(str(p) for p in self.problems)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def parse_scheme(data) -> Scheme:
    """Return the scheme ``data`` (what YAML ``safe_load`` read) describes, or raise
    ``SchemeErrors`` naming every problem."""
    problems = []
    if not isinstance(data, dict):
        raise SchemeErrors([_("The file must hold a mapping with 'criteria' and 'stars'.")])
    raw = data.get("criteria")
    if not isinstance(raw, list) or not raw:
        problems.append(_("'criteria' must be a list of at least one criterion."))
        raw = []
    if len(raw) > MAX_CRITERIA:
        problems.append(_("At most %(n)s criteria.") % {"n": MAX_CRITERIA})
        raw = raw[:MAX_CRITERIA]
    criteria, codes = [], set()
    for i, item in enumerate(raw, start=1):
        where = _("Criterion %(i)s") % {"i": i}
        if not isinstance(item, dict):
            problems.append(_("%(where)s: must be a mapping.") % {"where": where})
            continue
        code = item.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 40:
            problems.append(_("%(where)s: 'code' must be a text of 1-40 characters.")
                            % {"where": where})  # fmt: skip
            code = ""
        elif code in codes:
            problems.append(_("%(where)s: the code %(code)s is used twice.")
                            % {"where": where, "code": code})  # fmt: skip
        codes.add(code)
        names = []
        for key in ("name_ms", "name_en"):
            name = item.get(key)
            if not isinstance(name, str) or not name.strip() or len(name) > 150:
                problems.append(_("%(where)s: '%(key)s' must be a text of 1-150 characters.")
                                % {"where": where, "key": key})  # fmt: skip
                name = ""
            names.append(name.strip() if isinstance(name, str) else "")
        measure = item.get("measure")
        if measure not in MEASURES:
            problems.append(
                _("%(where)s: unknown measure %(measure)s (known: %(known)s).")
                % {"where": where, "measure": str(measure)[:60],
                   "known": ", ".join(sorted(MEASURES))}
            )  # fmt: skip
        weight = item.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
            problems.append(_("%(where)s: 'weight' must be a whole number from 0 to 100.")
                            % {"where": where})  # fmt: skip
            weight = 0
        bands = item.get("bands")
        parsed = []
        if not isinstance(bands, list) or not bands or len(bands) > 20:
            problems.append(_("%(where)s: 'bands' must be a list of 1-20 [threshold, points].")
                            % {"where": where})  # fmt: skip
        else:
            for band in bands:
                ok = isinstance(band, list) and len(band) == 2
                threshold = _number(band[0]) if ok else None
                points = _number(band[1]) if ok else None
                if threshold is None or points is None or not 0 <= points <= MAX_POINTS:
                    problems.append(
                        _("%(where)s: each band must be [threshold, points] with points "
                          "from 0 to 100.") % {"where": where}
                    )  # fmt: skip
                    break
                parsed.append((threshold, points))
            if len({t for t, _p in parsed}) != len(parsed):
                problems.append(_("%(where)s: two bands share a threshold.") % {"where": where})
        note = item.get("note", "")
        criteria.append(
            Criterion(code=code, name_ms=names[0], name_en=names[1], measure=measure,
                      weight=weight, bands=tuple(sorted(parsed)),
                      note=note.strip()[:500] if isinstance(note, str) else "")
        )  # fmt: skip
    if criteria and not problems and sum(c.weight for c in criteria) == 0:
        problems.append(_("At least one criterion must have a weight above 0."))
    stars = data.get("stars")
    parsed_stars = []
    if not isinstance(stars, list) or not stars:
        problems.append(_("'stars' must be a list of [minimum total, stars]."))
    else:
        for band in stars:
            ok = isinstance(band, list) and len(band) == 2
            minimum = _number(band[0]) if ok else None
            count = band[1] if ok else None
            if (minimum is None or not 0 <= minimum <= MAX_POINTS or not isinstance(count, int)
                    or isinstance(count, bool) or not 1 <= count <= 5):  # fmt: skip
                problems.append(_("Each star band must be [minimum total 0-100, stars 1-5]."))
                break
            parsed_stars.append((minimum, count))
        if parsed_stars and min(m for m, _s in parsed_stars) != 0:
            problems.append(_("The lowest star band must start at 0, so every total has stars."))
        ordered = sorted(parsed_stars)
        if any(a[1] > b[1] for a, b in zip(ordered, ordered[1:], strict=False)):
            problems.append(_("A higher star band must not give fewer stars."))
    note = data.get("note", "")
    if problems:
        raise SchemeErrors(problems)
    return Scheme(
        criteria=tuple(criteria),
        stars=tuple(sorted(parsed_stars, reverse=True)),
        note=note.strip()[:1000] if isinstance(note, str) else "",
    )


def points(value, bands, better: str) -> int | float:
    """The points ``value`` scores in ``bands`` ((threshold, points), ascending)."""
    if better == HIGHER:
        reached = [p for t, p in bands if value >= t]
        return reached[-1] if reached else 0
    within = [p for t, p in bands if value <= t]
    return within[0] if within else 0


def _round(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def total(scored) -> Decimal | None:
    """The weighted mean of ``scored`` ((points or None when no data, weight), ...)."""
    counted = [(p, w) for p, w in scored if p is not None and w > 0]
    weights = sum(w for _p, w in counted)
    if not weights:
        return None
    return _round(sum(Decimal(str(p)) * w for p, w in counted) / weights)


def stars(total_points, star_bands) -> int:
    """The stars of the highest band (minimum, stars) ``total_points`` reaches."""
    for minimum, count in sorted(star_bands, reverse=True):
        if total_points >= minimum:
            return count
    return 0


def ratio(part, whole, scale=100):
    """``part`` / ``whole`` × ``scale`` to two decimals, or None when ``whole`` is 0."""
    if not whole:
        return None
    return float(_round_to(Decimal(part) * scale / Decimal(whole), "0.01"))


def _round_to(value: Decimal, step: str) -> Decimal:
    return value.quantize(Decimal(step), rounding=ROUND_HALF_UP)


def compliance_days(start, end, valid_from, expires_on, changes, present_state):
    """(granted days, compliant days) of one accreditation in ``start``..``end``.

    ``valid_from``: its valid-from (or the approval's day; None: never granted);
    ``changes``: its recorded acts as ((day, state after), ...) oldest first; with none,
    ``present_state`` held throughout. Granted: days within valid_from..expires_on;
    compliant: of those, the ones whose state at the end of the day was approved.
    """
    if valid_from is None:
        return 0, 0
    first = max(start, valid_from)
    last = min(end, expires_on) if expires_on else end
    if first > last:
        return 0, 0
    granted = (last - first).days + 1
    if not changes:
        return granted, granted if present_state == "approved" else 0
    compliant = 0
    # The state holding from each change's day on; before the first act, applied.
    segments = [(datetime.date.min, "applied"), *changes]
    for i, (day, state) in enumerate(segments):
        seg_end = (segments[i + 1][0] - datetime.timedelta(days=1)
                   if i + 1 < len(segments) else datetime.date.max)  # fmt: skip
        a, b = max(first, day), min(last, seg_end)
        if state == "approved" and a <= b:
            compliant += (b - a).days + 1
    return granted, compliant


def complaints_upheld(complaints, year: int):
    """(value, [upheld, closed]) of one centre's complaints ((closed on or None, upheld), ...):
    those closed in ``year``, the upheld ones counted. Always a value (none: 0)."""
    closed = [upheld for day, upheld in complaints if day is not None and day.year == year]
    upheld = sum(1 for u in closed if u is True)
    return float(upheld), [upheld, len(closed)]


def facilities_checked(findings):
    """(value, [confirmed, items]) of the findings of one centre's checked declaration of the
    year (None: no checked declaration): confirmed items in per cent of the items."""
    if findings is None:
        return None, [0, 0]
    findings = list(findings)
    confirmed = sum(1 for f in findings if f == CONFIRMED)
    return ratio(confirmed, len(findings)), [confirmed, len(findings)]
