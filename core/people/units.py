"""Units: the places a role is held in.

A unit is ``(kind, code)``. The ministry's hierarchy is its own tables (State,
District, School: no mirror table of ten thousand rows); the nation is ``KPM``
and the skills body ``JPK``; skills centres resolve through ``CENTRE_RESOLVER``
once the skills app has a table for them.

"At or below": a role held in a unit counts in that unit and every unit it
contains. The nation contains everything; a state its districts and their
schools; a district its schools; the skills body its centres.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NATION, STATE, DISTRICT, SCHOOL, SKILLS_BODY, CENTRE = (
    "nation",
    "state",
    "district",
    "school",
    "skills_body",
    "centre",
)
KINDS = (NATION, STATE, DISTRICT, SCHOOL, SKILLS_BODY, CENTRE)
NATION_CODE = "KPM"
SKILLS_BODY_CODE = "JPK"


@dataclass(frozen=True)
class Unit:
    """One unit, with the units above it (``within``: (kind, code) pairs, nearest first)."""

    kind: str
    code: str
    name: str = field(default="", compare=False)
    within: tuple = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)

    def __str__(self):
        return self.name or self.code


def contains(outer: tuple[str, str], inner: "Unit") -> bool:
    """Return whether the unit ``outer`` ((kind, code)) is ``inner`` or above it."""
    return outer[0] == NATION or outer == inner.key or outer in inner.within


def school_unit(school) -> Unit:
    """Return the unit of a School (its district and state loaded with it, ideally)."""
    district = school.district
    return Unit(
        SCHOOL,
        school.code,
        school.name,
        ((DISTRICT, district.code), (STATE, district.state.code), (NATION, NATION_CODE)),
    )


def district_unit(district) -> Unit:
    return Unit(
        DISTRICT,
        district.code,
        district.name,
        ((STATE, district.state.code), (NATION, NATION_CODE)),
    )


def state_unit(state) -> Unit:
    return Unit(STATE, state.code, state.name, ((NATION, NATION_CODE),))


def nation_unit() -> Unit:
    return Unit(NATION, NATION_CODE, _("Malaysia (KPM)"))


def skills_body_unit() -> Unit:
    return Unit(SKILLS_BODY, SKILLS_BODY_CODE, _("Skills body (JPK)"), ((NATION, NATION_CODE),))


def centre_unit(centre) -> Unit:
    """Return the unit of a skills centre (any object with ``code`` and ``name``)."""
    return Unit(
        CENTRE, centre.code, centre.name, ((SKILLS_BODY, SKILLS_BODY_CODE), (NATION, NATION_CODE))
    )


# The one place skills centres plug in: the skills app sets this to a callable
# (code) -> Unit | None (a Unit of kind CENTRE, within the skills body) when it
# adds its centre table. Until then naming a centre is a clear error.
CENTRE_RESOLVER: Callable[[str], Unit | None] | None = None


def centre_resolve(code: str) -> Unit | None:
    """Return the skills centre ``code`` (None if none); raise while centres do not exist."""
    if CENTRE_RESOLVER is None:
        raise ValidationError(
            _("Skills centres cannot be named yet: the skills programme has no centre table.")
        )
    return CENTRE_RESOLVER(code)


def as_unit(target) -> Unit:
    """Return the Unit of a School, District, State or Unit."""
    from schools.models import District, School, State

    if isinstance(target, Unit):
        return target
    if isinstance(target, School):
        return school_unit(target)
    if isinstance(target, District):
        return district_unit(target)
    if isinstance(target, State):
        return state_unit(target)
    if hasattr(target, "as_unit"):  # a skills centre
        return target.as_unit()
    raise TypeError(f"not a unit: {target!r}")


def unit_resolve(code: str) -> Unit:
    """Return the unit a code names (any case): KPM, JPK, a state, district or school code.

    Raise ValidationError for a code that names nothing.
    """
    from schools.models import District, School, State

    raw = (code or "").strip()
    upper = raw.upper()
    if "\x00" in raw or not raw:
        raise ValidationError(_("No unit has the code '%(code)s'.") % {"code": raw[:40]})
    if upper == NATION_CODE:
        return nation_unit()
    if upper == SKILLS_BODY_CODE:
        return skills_body_unit()
    state = State.objects.filter(code__iexact=raw).first()
    if state is not None:
        return state_unit(state)
    district = District.objects.select_related("state").filter(code__iexact=raw).first()
    if district is not None:
        return district_unit(district)
    school = School.objects.select_related("district__state").filter(code__iexact=raw).first()
    if school is not None:
        return school_unit(school)
    if CENTRE_RESOLVER is not None:
        centre = CENTRE_RESOLVER(raw)
        if centre is not None:
            return centre
    raise ValidationError(_("No unit has the code '%(code)s'.") % {"code": raw[:40]})
