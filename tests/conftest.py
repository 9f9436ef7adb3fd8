import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    DistrictFactory,
    SchoolFactory,
    StateFactory,
    coordinator_for,
    exam_secretary_of,
    head_of,
    ministry_admin,
    officer,
    person,
    respondent_account_for,
)


@pytest.fixture(autouse=True)
def _english_command_output():
    """Management commands print in the active language; tests read English."""
    from django.utils import translation

    with translation.override("en"):
        yield


class World:
    """Two states; school A and B in different districts of state S1, C in S2."""


@pytest.fixture
def world(db):
    w = World()
    w.s1 = StateFactory(code="SGR", name="Selangor")
    w.s2 = StateFactory(code="PRK", name="Perak")
    w.d1 = DistrictFactory(code="SGR-PETALING", name="PPD PETALING", state=w.s1)
    w.d2 = DistrictFactory(code="SGR-KLANG", name="PPD KLANG", state=w.s1)
    w.d3 = DistrictFactory(code="PRK-KINTA", name="PPD KINTA", state=w.s2)
    w.a = SchoolFactory(code="BBA0001", name="SK ALFA", district=w.d1)
    w.b = SchoolFactory(code="BBB0002", name="SK BRAVO", district=w.d2)
    w.c = SchoolFactory(code="ABA0003", name="SK CHARLIE", district=w.d3, is_skm=True, enrolment=90)
    w.users = {
        "anonymous": None,
        "coord_a": coordinator_for(w.a),
        "coord_b": coordinator_for(w.b),
        "resp_a": respondent_account_for(w.a),
        "officer_d1": officer("district", w.d1),
        "officer_d2": officer("district", w.d2),
        "officer_s1": officer("state", w.s1),
        "officer_s2": officer("state", w.s2),
        "national": officer("national"),
        "admin": ministry_admin(username="admin", is_superuser=True),
        # Named people of school A: its head, its exam secretary, and a teacher who
        # is both its ICT coordinator and its PIBK coordinator.
        "head_a": head_of(w.a, username="guru.besar"),
        "exam_sec_a": exam_secretary_of(w.a, username="su.peperiksaan"),
        "teacher_a": person(
            "cikgu.aminah", roles=[("ict_coordinator", w.a), ("pibk_coordinator", w.a)]
        ),
        # An officer of district D1 for PIBK only.
        "pibk_officer_d1": officer("district", w.d1, programmes=["pibk"], username="ppd.pibk"),
        # PASR (issue 15): school A's subject head (Ketua Panitia) and a teacher who
        # rates, and an examinations-board (LP) officer for the nation.
        "subject_head_a": person("ketua.panitia", roles=[("subject_head", w.a)]),
        "pasr_teacher_a": person("cikgu.pk", roles=[("teacher", w.a)]),
        "lp_officer": person("pegawai.lp", roles=[("lp_officer", "KPM")]),
    }
    return w


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


def window_around_today():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)


@pytest.fixture
def real_cycle(world):
    """SSQS 2026 with the default instrument file, open today, rosters made."""
    from surveys.rosters import cycle_open

    opens, closes = window_around_today()
    return cycle_open(year=2026, opens_on=opens, closes_on=closes)


@pytest.fixture
def mini_cycle(world, tmp_path):
    """SSQS 2026 with the small test instrument, open today, rosters made."""
    import yaml

    from surveys.loading import instrument_load
    from surveys.rosters import cycle_open
    from tests.surveys.instruments import mini

    path = tmp_path / "ssqs-2026.yaml"
    path.write_text(yaml.safe_dump(mini()), encoding="utf-8")
    instrument_load(path=path)
    opens, closes = window_around_today()
    return cycle_open(year=2026, opens_on=opens, closes_on=closes)
