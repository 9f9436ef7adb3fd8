"""Reads of the executive report (Modul Laporan Eksekutif): one page for a tier's management.

A tier is the nation, a state (``-``: centres with no state recorded), a sector or one
centre. The report answers, for it:

- certificates first issued in the year by level (SKM1-3, DKM, DLKM, SP) and sector, read
  from the centres' precomputed yearly figures (``CentreYearFigures``: a few hundred to a
  few thousand small rows, whatever the number of certificates), beside last year's: the
  same period of last year while the year is running (one indexed aggregate: no stored
  figure is kept per day), the whole of last year once the year is over (stored figures);
- the centres overdue for verification (``executive_rules``: an intake that ended more than
  60 days ago and is not verified), one GROUP BY over the intakes not verified;
- the accreditations expiring in this calendar quarter, and those expired before it with an
  intake still not verified, in one query.

Five queries whatever the data (six while the year is running and last year's same period
is not in the cache); no names of trainees, no identity numbers: nothing personal, so the
exports may carry all of it.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import executive_rules as xrules
from .. import rules
from ..models import Accreditation, CentreYearFigures, Certificate, Intake, Sector
from ..rollups import NATION_NAME
from .statistics import statistics_years

logger = logging.getLogger(__name__)
NATION, STATE, SECTOR, CENTRE = "nation", "state", "sector", "centre"
NO_STATE = "-"
# The page and the PDF list this many centres overdue (the most overdue first) and this
# many accreditations of each list; the exports carry every one.
SHOWN = 25


@dataclass(frozen=True)
class Tier:
    """Whose report: the nation, a state, a sector or a centre (found by ``skills.access``)."""

    kind: str
    code: str = ""
    name: str = NATION_NAME
    obj: object = None  # the State, Sector or Centre (None: the nation, or no state)

    def query(self) -> str:
        """The query string that asks for this tier again ("" for the nation)."""
        return "" if self.kind == NATION else f"{self.kind}={self.code}"

    def slug(self) -> str:
        from django.utils.text import slugify

        return "malaysia" if self.kind == NATION else slugify(f"{self.kind}-{self.code}") or "x"

    def where(self, centre: str, sector: str) -> Q:
        """The filter of rows in this tier: ``centre`` and ``sector`` are the paths to them."""
        if self.kind == STATE:
            if self.obj is None:
                return Q(**{f"{centre}__state__isnull": True})
            return Q(**{f"{centre}__state_id": self.obj.pk})
        if self.kind == CENTRE:
            return Q(**{f"{centre}_id": self.obj.pk})
        if self.kind == SECTOR:
            return Q(**{f"{sector}_id": self.obj.pk})
        return Q()


@dataclass
class SectorRow:
    code: str
    name: str
    counts: list  # per kind, in rules.KINDS order
    last_counts: list  # last year's per kind (same period or whole year)

    @property
    def total(self):
        return sum(self.counts)

    @property
    def last(self):
        return sum(self.last_counts)

    @property
    def change(self):
        return xrules.change(self.total, self.last)

    @property
    def columns(self):
        """[(kind, this year, last year)]."""
        return list(zip(rules.KINDS, self.counts, self.last_counts, strict=True))


@dataclass
class OverdueCentre:
    code: str
    name: str
    state: str
    intakes: int
    oldest: datetime.date  # the earliest end of an overdue intake
    days: int  # days past the 60 allowed, of the oldest
    holders: list  # [(label, count)] who must act, by intake state


@dataclass
class AccreditationRow:
    centre_code: str
    centre_name: str
    standard_code: str
    standard_title: str
    sector: str
    state: str
    expires_on: datetime.date
    open_intakes: int
    renewal: bool  # another application or approval of the same standard runs on after it

    @property
    def expired(self):
        return self.expires_on < timezone.localdate()


@dataclass
class Report:
    tier: Tier
    year: int
    today: datetime.date
    kinds: tuple
    sectors: list  # [SectorRow]
    by_kind: list  # this year's per kind
    by_kind_last: list
    total: int
    last: int  # last year's, compared (same period while the year runs)
    last_whole: int  # last year's whole year
    same_period: bool  # the comparison is to the same period of last year
    compared_to: datetime.date  # the last day of last year compared
    overdue: list  # [OverdueCentre], most overdue first
    overdue_intakes: int
    expiring: list  # [AccreditationRow], soonest first
    expired_open: list  # [AccreditationRow]
    quarter: tuple  # (first day, last day)
    quarter_label: str
    sector_choices: list = field(default_factory=list)  # [(code, name)] of every sector
    due_days: int = xrules.VERIFICATION_DUE_DAYS
    shown: int = SHOWN
    notes: list = field(default_factory=list)

    @property
    def change(self):
        return xrules.change(self.total, self.last)

    @property
    def overdue_centres(self):
        return len(self.overdue)

    @property
    def kind_columns(self):
        """[(kind, this year, last year)] for the totals rows."""
        return list(zip(self.kinds, self.by_kind, self.by_kind_last, strict=True))


def years():
    return statistics_years()


# --- certificates by level and sector ----------------------------------------------------
def certificate_counts_live(tier: Tier, start: datetime.date, end: datetime.date) -> dict:
    """{(kind, sector id): n} of certificates first issued from ``start`` to ``end`` (inclusive),
    aggregated from the records: last year's same period, and what the stored figures equal."""
    rows = (
        Certificate.objects.filter(version=1, issued_on__gte=start, issued_on__lte=end)
        .filter(tier.where("centre", "standard__sector"))
        .values_list("kind", "standard__sector_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(kind, sector): n for kind, sector, n in rows}


# Last year's certificates up to a day do not change (a certificate is first issued on the
# day it is issued; a revocation or a re-issue does not change what was issued): kept an
# hour, like the statistics' hourly rebuild, so only a tier's first look of the hour pays
# for the aggregate (about 100 ms over 2 million certificates).
SAME_PERIOD_TTL = 3600


def _same_period_last_year(tier: Tier, year: int, compared_to: datetime.date) -> dict:
    from django.core.cache import cache

    key = f"skills:executive:{tier.kind}:{tier.code}:{compared_to.isoformat()}"
    try:
        found = cache.get(key)
    except Exception:  # the cache down: the page still answers, a little slower
        found = None
    if found is None:
        found = certificate_counts_live(tier, datetime.date(year - 1, 1, 1), compared_to)
        try:
            cache.set(key, found, SAME_PERIOD_TTL)
        except Exception:
            logger.warning("cache unavailable: last year's same period not kept", exc_info=True)
    return found


def certificate_counts_stored(tier: Tier, year: int) -> tuple[dict, dict]:
    """{(kind, sector id): n} of ``year`` and of the year before, from the centres' stored
    figures (certificates first issued in the year), in one query."""
    this, last = defaultdict(int), defaultdict(int)
    rows = CentreYearFigures.objects.filter(year__in=(year, year - 1))
    if tier.kind in (STATE, CENTRE):
        rows = rows.filter(tier.where("centre", "unused"))
    only = str(tier.obj.pk) if tier.kind == SECTOR else None
    for row_year, figures in rows.values_list("year", "certificates").iterator(chunk_size=2000):
        into = this if row_year == year else last
        for kind, sectors in (figures or {}).items():
            for sector, n in sectors.items():
                if only is None or sector == only:
                    into[(kind, int(sector))] += n
    return this, last


def _sector_rows(this: dict, compared: dict, sectors: dict) -> list:
    present = sorted({s for _k, s in this} | {s for _k, s in compared},
                     key=lambda s: sectors[s][0] if s in sectors else str(s))  # fmt: skip
    return [
        SectorRow(*sectors.get(s, (str(s), "")), [this.get((k, s), 0) for k in rules.KINDS],
                  [compared.get((k, s), 0) for k in rules.KINDS])
        for s in present
    ]  # fmt: skip


# --- overdue and expiring --------------------------------------------------------------
def _overdue(tier: Tier, today: datetime.date) -> tuple[list, int]:
    cutoff = xrules.verification_cutoff(today)
    rows = (
        Intake.objects.filter(state__in=xrules.NOT_VERIFIED, ends_on__lt=cutoff)
        .filter(tier.where("centre", "accreditation__standard__sector"))
        .values_list("centre__code", "centre__name", "centre__state__name", "state")
        .annotate(n=Count("pk"), oldest=Min("ends_on"))
        .order_by()
    )
    centres = {}
    total = 0
    for code, name, state, intake_state, n, oldest in rows:
        total += n
        row = centres.get(code)
        if row is None:
            row = centres[code] = OverdueCentre(code, name, state or "", 0, oldest, 0, [])
        row.intakes += n
        row.oldest = min(row.oldest, oldest)
        row.holders.append((intake_state, n))
    for row in centres.values():
        row.days = xrules.days_overdue(ends_on=row.oldest, today=today)
        order = {s: i for i, s in enumerate(xrules.NOT_VERIFIED)}
        ordered = sorted(row.holders, key=lambda h: order[h[0]])
        row.holders = [(xrules.holder(s), n) for s, n in ordered]
    return sorted(centres.values(), key=lambda r: (-r.days, r.code)), total


def _accreditations(tier: Tier, today: datetime.date) -> tuple[list, list]:
    first, last = xrules.quarter_bounds(today)
    waiting = Intake.objects.filter(accreditation=OuterRef("pk"), state__in=xrules.NOT_VERIFIED)
    open_intakes = Coalesce(
        Subquery(waiting.order_by().values("accreditation").annotate(n=Count("pk")).values("n")),
        0,
    )
    renewal = Accreditation.objects.filter(
        centre=OuterRef("centre"), standard=OuterRef("standard"),
        state__in=(rules.APPLIED, rules.APPROVED),
    ).exclude(pk=OuterRef("pk")).filter(
        Q(state=rules.APPLIED) | Q(expires_on__isnull=True)
        | Q(expires_on__gt=OuterRef("expires_on"))
    )  # fmt: skip
    rows = (
        Accreditation.objects.filter(state__in=xrules.EXPIRING_STATES, expires_on__lte=last)
        .filter(Q(expires_on__gte=first) | Exists(waiting))
        .filter(tier.where("centre", "standard__sector"))
        .annotate(open_intakes=open_intakes, renewal=Exists(renewal))
        .values_list("centre__code", "centre__name", "standard__code", "standard__title_ms",
                     "standard__title_en", "standard__sector__code", "state", "expires_on",
                     "open_intakes", "renewal")
        .order_by("expires_on", "centre__code", "standard__code")
    )  # fmt: skip
    english = _english()
    expiring, expired_open = [], []
    for (centre_code, centre_name, std_code, title_ms, title_en, sector, state, expires_on,
         n, renewed) in rows:  # fmt: skip
        row = AccreditationRow(centre_code, centre_name, std_code,
                               title_en if english else title_ms, sector, state, expires_on, n,
                               renewed)  # fmt: skip
        if xrules.expires_this_quarter(state=state, expires_on=expires_on, today=today):
            expiring.append(row)
        elif xrules.expired_with_open_intakes(state=state, expires_on=expires_on,
                                              open_intakes=n, today=today):  # fmt: skip
            expired_open.append(row)
    return expiring, expired_open


def _english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "ms").startswith("en")


def sector_name(sector) -> str:
    """ "IT Teknologi Maklumat" in Malay, "IT Information technology" in English."""
    return f"{sector.code} {sector.name_en if _english() else sector.name_ms}"


def _sectors() -> dict:
    english = _english()
    return {
        pk: (code, name_en if english else name_ms)
        for pk, code, name_ms, name_en in Sector.objects.values_list(
            "pk", "code", "name_ms", "name_en"
        )
    }


def executive_report(*, tier: Tier, year: int, today: datetime.date | None = None) -> Report:
    """Return the tier's report of ``year`` as of ``today`` (the overdue and expiring lists are
    always today's)."""
    today = today or timezone.localdate()
    this, last_whole = certificate_counts_stored(tier, year)
    same_period = year == today.year
    if same_period:
        compared_to = xrules.same_day_last_year(today)
        compared = _same_period_last_year(tier, year, compared_to)
    else:
        compared_to = datetime.date(year - 1, 12, 31)
        compared = last_whole
    sectors = _sectors()
    rows = _sector_rows(this, compared, sectors)
    by_kind = [sum(n for (kk, _s), n in this.items() if kk == k) for k in rules.KINDS]
    by_kind_last = [sum(n for (kk, _s), n in compared.items() if kk == k) for k in rules.KINDS]
    overdue, overdue_intakes = _overdue(tier, today)
    expiring, expired_open = _accreditations(tier, today)
    return Report(
        tier=tier, year=year, today=today, kinds=rules.KINDS, sectors=rows, by_kind=by_kind,
        by_kind_last=by_kind_last, total=sum(by_kind), last=sum(by_kind_last),
        last_whole=sum(last_whole.values()), same_period=same_period, compared_to=compared_to,
        overdue=overdue, overdue_intakes=overdue_intakes, expiring=expiring,
        expired_open=expired_open, quarter=xrules.quarter_bounds(today),
        quarter_label=xrules.quarter_label(today),
        sector_choices=sorted(sectors.values()),
    )  # fmt: skip


def tier_choices(report) -> dict:
    """The states and sectors the body may choose a tier from (one small query more)."""
    from schools.models import State

    return {
        "states": list(State.objects.order_by("name").values_list("code", "name")),
        "sectors": report.sector_choices,
    }
