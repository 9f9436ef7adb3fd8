"""rules.award, row by row (domain.md 4: "A certificate is issued only when every CU of the
standard's level is assessed competent and verified by the PPL, at a centre whose
accreditation for that programme was valid on the assessment date"; SP for partial CUs)."""

import datetime

import pytest

from skills import rules
from skills.selectors.accreditation import accreditation_valid_on as accredited_on

ALL = {1, 2, 3}

AWARDS = [
    # level, competent and verified, accredited on the date -> kind, units
    ("every CU of SKM level 1", 1, ALL, True, rules.SKM1, ALL),
    ("every CU of SKM level 2", 2, ALL, True, rules.SKM2, ALL),
    ("every CU of SKM level 3", 3, ALL, True, rules.SKM3, ALL),
    ("every CU of level 4 is a DKM", 4, ALL, True, rules.DKM, ALL),
    ("every CU of level 5 is a DLKM", 5, ALL, True, rules.DLKM, ALL),
    ("some CUs earn a statement of achievement", 3, {1, 2}, True, rules.SP, {1, 2}),
    ("one CU earns an SP for that CU", 2, {3}, True, rules.SP, {3}),
    ("no CU earns nothing", 3, set(), True, None, set()),
    ("every CU, accreditation not valid on the date: nothing", 3, ALL, False, None, set()),
    ("some CUs, accreditation not valid: nothing", 3, {1}, False, None, set()),
    ("a CU of another standard does not count", 3, {1, 2, 3, 99}, True, rules.SKM3, ALL),
    ("only another standard's CU earns nothing", 3, {99}, True, None, set()),
]


@pytest.mark.parametrize(("case", "level", "earned", "accredited", "kind", "units"), AWARDS,
                         ids=[a[0] for a in AWARDS])  # fmt: skip
def test_award(case, level, earned, accredited, kind, units):
    award = rules.award(
        level=level, standard_units=ALL, competent_verified=earned, accredited_on_date=accredited
    )
    assert award.kind == kind
    assert award.units == frozenset(units)
    assert (award.why_not is None) == (kind is not None)


def test_it_says_why_nothing_is_certified():
    assert (
        "accreditation"
        in rules.award(
            level=3, standard_units=ALL, competent_verified=ALL, accredited_on_date=False
        ).why_not
    )
    assert (
        "competency unit"
        in rules.award(
            level=3, standard_units=ALL, competent_verified=set(), accredited_on_date=True
        ).why_not
    )


class _Accreditation:
    def __init__(self, state="approved", valid_from=None, expires_on=None):
        self.state, self.valid_from, self.expires_on = state, valid_from, expires_on


class _Event:
    def __init__(self, pk, act, day):
        import zoneinfo

        self.pk, self.act = pk, act
        zone = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
        self.at = datetime.datetime.combine(day, datetime.time(10), zone)


D = datetime.date


@pytest.mark.parametrize(
    ("case", "events", "on", "valid"),
    [
        ("approved before the date", [("approved", D(2025, 1, 1))], D(2025, 6, 1), True),
        ("approved only after the date", [("approved", D(2025, 7, 1))], D(2025, 6, 1), False),
        ("suspended on the date", [("approved", D(2025, 1, 1)), ("suspended", D(2025, 5, 1))],
         D(2025, 6, 1), False),
        ("suspended after the date", [("approved", D(2025, 1, 1)), ("suspended", D(2025, 7, 1))],
         D(2025, 6, 1), True),
        ("reinstated before the date",
         [("approved", D(2025, 1, 1)), ("suspended", D(2025, 3, 1)), ("reinstated", D(2025, 4, 1))],
         D(2025, 6, 1), True),
        ("revoked before the date", [("approved", D(2025, 1, 1)), ("revoked", D(2025, 2, 1))],
         D(2025, 6, 1), False),
        ("before valid_from", [("approved", D(2024, 1, 1))], D(2024, 12, 31), False),
        ("after expires_on", [("approved", D(2025, 1, 1))], D(2026, 1, 2), False),
        ("on expires_on", [("approved", D(2025, 1, 1))], D(2026, 1, 1), True),
    ],
)  # fmt: skip
def test_accreditation_valid_on_the_assessment_date(case, events, on, valid):
    accreditation = _Accreditation(valid_from=D(2025, 1, 1), expires_on=D(2026, 1, 1))
    history = [_Event(i, act, day) for i, (act, day) in enumerate(events)]
    assert accredited_on(accreditation, on, history) is valid


def test_an_accreditation_without_history_reads_as_its_present_state():
    assert accredited_on(_Accreditation("approved"), D(2025, 6, 1), []) is True
    assert accredited_on(_Accreditation("suspended"), D(2025, 6, 1), []) is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("JPK-7K3M9Q2X4P", "JPK-7K3M9Q2X4P"),
        (" jpk-7k3m 9q2x4p ", "JPK-7K3M9Q2X4P"),
        ("JPK-7K3M9Q2XOP", "JPK-7K3M9Q2X0P"),  # O read as 0
        ("JPK-7K3M9Q2XIL", "JPK-7K3M9Q2X11"),  # I and L read as 1
        ("JPK-7K3M9Q2X4P/2", "JPK-7K3M9Q2X4P/2"),
        ("JPK-7K3M9Q2X4", None),
        ("JPK-7K3M9Q2X4PU", None),
        ("JPK-7K3M9Q2X4P/0", None),
        ("' OR 1=1 --", None),
        ("", None),
        ("x" * 5000, None),
    ],
)
def test_a_typed_number_is_read_forgivingly(typed, stored):
    assert rules.normalise_reference(typed) == stored


def test_numbers_are_prefixed_crockford_base32():
    import secrets

    numbers = {rules.certificate_number(secrets.randbelow) for _ in range(200)}
    assert len(numbers) == 200
    assert all(rules.normalise_reference(n) == n for n in numbers)
