"""What the API answers: English field names, labels in both languages, ISO 8601 times."""

import datetime
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field


class Schema(BaseModel):
    """Plain pydantic models: the endpoints build dicts, so ninja's per-object attribute
    resolution (its Schema's wrapping validator) is not needed; it cost half a page's time."""


RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
# No row of the portal is older: an earlier time asks for everything.
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def _iso_time(value):
    """An ISO 8601 (RFC 3339) time with its offset; numbers and naive times are refused."""
    found = RFC3339.match(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(
            "expected an ISO 8601 time with its offset, e.g. 2026-01-31T08:00:00+08:00"
        )
    text = value.upper().replace("Z", "+00:00")
    if found.group(6) == "60":  # a leap second: the second before it
        text = text[:17] + "59" + text[19:]
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError("not a real date and time") from exc
    if parsed.year < 1901:
        return EARLIEST
    try:  # in UTC: PostgreSQL takes offsets up to 15:59 only, RFC 3339 up to 23:59
        return parsed.astimezone(datetime.UTC)
    except OverflowError:  # past the year 9999 in UTC: nothing is that new
        return LATEST


IsoTime = Annotated[datetime.datetime, BeforeValidator(_iso_time)]


class Label(Schema):
    ms: str = Field(description="Malay")
    en: str = Field(description="English")


class Coded(Schema):
    code: str
    label: Label


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    retry_after: int | None = None


class Page(Schema):
    next: str | None = Field(description="The next page's address (null on the last page)")
    next_cursor: str | None = Field(description="The cursor of the next page (opaque)")


class StateOut(Schema):
    code: str
    name: str
    iso: str


class StatePage(Page):
    items: list[StateOut]


class DistrictOut(Schema):
    code: str
    name: str
    state: str = Field(description="The state's code")


class DistrictPage(Page):
    items: list[DistrictOut]


class SchoolOut(Schema):
    code: str
    name: str
    state: str
    district: str
    district_name: str
    level: Coded
    type: str
    enrolment: int | None
    special_enrolment: int | None
    preschool_enrolment: int | None
    teachers: int | None
    has_ppki: bool
    is_skm: bool
    is_kpm: bool
    parliament: str
    dun: str
    location: str
    grade: str
    assistance: str
    sessions: str
    address: str
    postcode: str
    town: str
    phone: str
    fax: str
    email: str
    longitude: float | None
    latitude: float | None
    updated_at: datetime.datetime


class SchoolPage(Page):
    items: list[SchoolOut]


class CycleOut(Schema):
    year: int
    briefing_on: datetime.date
    opens_on: datetime.date
    closes_on: datetime.date


class CyclePage(Page):
    items: list[CycleOut]


class IndicatorScore(Schema):
    code: str
    label: Label
    score: float


class RatingOut(Schema):
    school: str
    school_name: str
    district: str
    state: str
    year: int
    score: int = Field(ge=0, le=100)
    stars: int = Field(ge=1, le=5)
    band: Coded
    status: Coded
    indicators: list[IndicatorScore]
    respondents_finished: int
    respondents_required: int
    computed_at: datetime.datetime


class RatingPage(Page):
    items: list[RatingOut]


class SsqsNodeOut(Schema):
    year: int
    level: Coded
    code: str
    name: str
    parent: str
    schools: int
    not_started: int
    in_progress: int
    complete: int
    verified: int
    rated: int
    respondents_finished: int
    respondents_required: int
    stars_provisional: list[int] = Field(description="Schools with 1, 2, 3, 4, 5 stars")
    stars_final: list[int]
    mean_score: float | None
    mean_indicators: list[IndicatorScore]
    computed_at: datetime.datetime


class SsqsNodePage(Page):
    items: list[SsqsNodeOut]


class PibkSchoolOut(Schema):
    school: str
    school_name: str
    district: str
    state: str
    year: int
    is_kpm: bool
    mode: Coded
    families: int
    volunteers: int
    average: float | None = Field(description="The school's average attendance rate (percent)")
    counted: int = Field(description="Activities counted in the average")
    reaches: bool | None = Field(description="Average at least 65 % (null: nothing to count)")
    verified_windows: int
    updated_at: datetime.datetime


class PibkSchoolPage(Page):
    items: list[PibkSchoolOut]


class PibkNodeOut(Schema):
    year: int
    level: Coded
    code: str
    name: str
    parent: str
    schools: int
    reporting: int
    reaching: int
    kpi1: float | None = Field(description="KPI 1: percent of reporting schools reaching 65 %")
    families: int
    volunteers: int
    kpi2: float | None = Field(description="KPI 2: percent of families volunteering")
    mean_average: float | None
    activity_rates: dict[str, float | None]
    computed_at: datetime.datetime


class PibkNodePage(Page):
    items: list[PibkNodeOut]


class PibkYearOut(Schema):
    year: int
    kpi1_target: float
    kpi2_target: float
    kpi2_goal: float
    kpi2_goal_year: int


class PibkYearPage(Page):
    items: list[PibkYearOut]


class LevelCount(Schema):
    level: Coded
    count: int | None = Field(description="Verified results (null: a small cell, held back)")
    share: float | None = Field(description="Percent of the construct's verified results")
    held_back: bool


class ConstructLevels(Schema):
    code: str
    name: Label
    subject: Label
    instrument: str
    verified: int
    levels: list[LevelCount]


class PasrNodeOut(Schema):
    year: int
    level: Coded
    code: str
    name: str
    parent: str
    schools: int = Field(description="Schools running PASR")
    with_candidates: int
    candidates: int
    expected: int = Field(description="Construct results to give")
    rated: int
    moderated: int
    verified: int
    constructs: list[ConstructLevels] = Field(
        description="Verified results per construct and level; never a candidate"
    )
    computed_at: datetime.datetime


class PasrNodePage(Page):
    items: list[PasrNodeOut]


class CertificateOut(Schema):
    """What the public certificate check shows, nothing more."""

    reference: str
    number: str
    version: int
    kind: Coded
    holder_name: str
    level: int
    issued_on: datetime.date
    status: Coded
    revoked_reason: str
    revoked_at: datetime.datetime | None
    current_reference: str | None = Field(
        description="A superseded certificate: the reference of its current version"
    )
    standard_code: str
    standard_title: Label
    centre_code: str
    centre_name: str


class StandardOut(Schema):
    code: str
    title: Label
    level: int
    sector: Coded
    units: int = Field(description="Competency units")
    total_hours: int


class CompetencyUnitOut(Schema):
    code: str
    title: Label
    hours: int


class AccreditationOut(Schema):
    """A centre accredited for the standard today, as the public registry shows it."""

    centre_code: str
    centre_name: str
    state: str | None = Field(description="The centre's state code")
    mode: Coded
    units: list[str] = Field(description="A modular accreditation's competency units")
    expires_on: datetime.date | None


class AccreditationItemOut(AccreditationOut):
    """An accreditation in force today: which centre runs which standard, until when."""

    id: int
    standard_code: str
    standard_title: Label
    level: int
    valid_from: datetime.date | None


class AccreditationPage(Page):
    items: list[AccreditationItemOut]


class StandardDetailOut(StandardOut):
    competency_units: list[CompetencyUnitOut]
    superseded_by: list[str]
    accreditations: list[AccreditationOut]


class StandardPage(Page):
    items: list[StandardOut]


class IndexOut(Schema):
    version: str
    openapi: str
    docs: str
    resources: dict[str, str]
