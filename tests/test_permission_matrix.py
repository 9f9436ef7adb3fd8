"""Every URL against every persona: nobody sees what is not theirs.

Each row: a URL (built from the world), then the expected status for each
persona. 302 means "sent to the login page" for anonymous users. A page that
shows a list of schools also says which school codes each persona must and
must not see. Each programme adds its rows here.
"""

import pytest

PERSONAS = [
    "anonymous",
    "coord_a",
    "coord_b",
    "resp_a",
    "officer_d1",
    "officer_d2",
    "officer_s1",
    "officer_s2",
    "national",
    "admin",
]


def expect(default, **overrides):
    return {p: overrides.get(p, default) for p in PERSONAS}


# Monitoring pages: school accounts are refused (403), anonymous users sent to log in.
OFFICERS_ONLY = {"anonymous": 302, "coord_a": 403, "coord_b": 403, "resp_a": 403}
# The officers who see district D1 (PPD Petaling) as a whole.
ABOVE_D1 = {"officer_d1": 200, "officer_s1": 200, "national": 200, "admin": 200}
# Who sees school A's (or C's) PIBK page: its coordinator and the officers above it.
SEES_A = {"anonymous": 302, "coord_a": 200, "resp_a": 403, **ABOVE_D1}
SEES_C = {"anonymous": 302, "resp_a": 403, "officer_s2": 200, "national": 200, "admin": 200}
# The coordinator's own data entry: every other account is refused.
COORDINATORS_ONLY = expect(403, anonymous=302, coord_a=200, coord_b=200)


def _pibk_year(w, url):
    """Give school A a PIBK record for this year, so its report has something to print."""
    from pibk.services import school_year_ensure, today

    school_year_ensure(school=w.a, year=today().year)
    return url


ROWS = [
    # (name, url builder, expected statuses)
    ("mydesktop", lambda w: "/mydesktop/", expect(403, anonymous=302, coord_a=200, coord_b=200)),
    (
        "school list",
        lambda w: "/sekolah/",
        expect(200, anonymous=302, coord_a=403, coord_b=403, resp_a=403),
    ),
    (
        "school A detail",
        lambda w: f"/sekolah/{w.a.code}/",
        expect(
            404,
            anonymous=302,
            coord_a=200,
            resp_a=200,
            officer_d1=200,
            officer_s1=200,
            national=200,
            admin=200,
        ),
    ),
    (
        "school C detail",
        lambda w: f"/sekolah/{w.c.code}/",
        expect(404, anonymous=302, officer_s2=200, national=200, admin=200),
    ),
    ("school that does not exist", lambda w: "/sekolah/ZZZ9999/", expect(404, anonymous=302)),
    ("admin", lambda w: "/admin/", expect(302, admin=200)),
    ("health", lambda w: "/health/", expect(200)),
    ("favicon", lambda w: "/favicon.ico", expect(301)),
    ("password change", lambda w: "/password/", expect(200, anonymous=302)),
    # SSQS (issue 3): the coordinator's pages answer for their own school only
    (
        "ssqs profile",
        lambda w: "/ssqs/profil/",
        expect(403, anonymous=302, coord_a=200, coord_b=200),
    ),
    (
        "ssqs roster",
        lambda w: "/ssqs/responden/",
        expect(403, anonymous=302, coord_a=200, coord_b=200),
    ),
    (
        "ssqs slips",
        lambda w: "/ssqs/responden/slip.pdf",
        expect(403, anonymous=302, coord_a=200, coord_b=200),
    ),
    (
        "ssqs result A",
        lambda w: f"/ssqs/sekolah/{w.a.code}/",
        expect(
            404,
            anonymous=302,
            coord_a=200,
            resp_a=403,
            officer_d1=200,
            officer_s1=200,
            national=200,
            admin=200,
        ),
    ),
    (
        "ssqs certificate A (provisional)",
        lambda w: f"/ssqs/sekolah/{w.a.code}/sijil.pdf",
        expect(
            404,
            anonymous=302,
            coord_a=302,
            resp_a=403,
            officer_d1=302,
            officer_s1=302,
            national=302,
            admin=302,
        ),
    ),
    ("ssqs choose respondent", lambda w: "/ssqs/pilih/", expect(403, anonymous=302, resp_a=200)),
    ("ssqs domains", lambda w: "/ssqs/domain/", expect(403, anonymous=302, resp_a=302)),
    ("ssqs domain", lambda w: "/ssqs/domain/U1/", expect(403, anonymous=302, resp_a=302)),
    ("ssqs respondent form", lambda w: "/ssqs/borang.pdf", expect(403, anonymous=302, resp_a=302)),
    # Monitoring (issue 4): each officer sees their own node and those below it
    (
        "monitoring home",
        lambda w: "/pemantauan/",
        expect(302, coord_a=403, coord_b=403, resp_a=403),
    ),
    (
        "national dashboard",
        lambda w: "/pemantauan/national/KPM/",
        expect(404, **OFFICERS_ONLY, national=200, admin=200),
    ),
    (
        "state SGR dashboard",
        lambda w: "/pemantauan/state/SGR/",
        expect(404, **OFFICERS_ONLY, officer_s1=200, national=200, admin=200),
    ),
    (
        "state PRK dashboard",
        lambda w: "/pemantauan/state/PRK/",
        expect(404, **OFFICERS_ONLY, officer_s2=200, national=200, admin=200),
    ),
    (
        "district D1 dashboard",
        lambda w: "/pemantauan/district/SGR-PETALING/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 map",
        lambda w: "/pemantauan/district/SGR-PETALING/peta.json",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 school table",
        lambda w: "/pemantauan/district/SGR-PETALING/sekolah/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 export",
        lambda w: "/pemantauan/district/SGR-PETALING/sekolah/?format=csv",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 report",
        lambda w: "/pemantauan/district/SGR-PETALING/laporan.pdf",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "district D1 respondents export",
        lambda w: "/pemantauan/district/SGR-PETALING/responden.csv",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "ssqs results (the officer's own school table)",
        lambda w: "/pemantauan/keputusan/",
        expect(302, coord_a=403, coord_b=403, resp_a=403),
    ),
    (
        "district D1 reminders (confirm page)",
        lambda w: "/pemantauan/district/SGR-PETALING/peringatan/",
        expect(404, **OFFICERS_ONLY, **ABOVE_D1),
    ),
    (
        "certificate batch that does not exist",
        lambda w: "/pemantauan/sijil/999/",
        expect(404, **OFFICERS_ONLY),
    ),
    (
        "unknown level",
        lambda w: "/pemantauan/galaxy/X/",
        expect(404, **OFFICERS_ONLY),
    ),
    # PIBK (issue 5): the coordinator enters the school's data; officers above it see and act
    ("pibk home", lambda w: "/pibk/", expect(302, resp_a=403)),
    ("pibk school A", lambda w: f"/pibk/sekolah/{w.a.code}/", expect(404, **SEES_A)),
    ("pibk school C", lambda w: f"/pibk/sekolah/{w.c.code}/", expect(404, **SEES_C)),
    ("pibk report A", lambda w: _pibk_year(w, f"/pibk/sekolah/{w.a.code}/laporan.pdf"),
     expect(404, **SEES_A)),
    ("pibk register", lambda w: "/pibk/daftar/", COORDINATORS_ONLY),
    ("pibk register template", lambda w: "/pibk/daftar/templat.csv", COORDINATORS_ONLY),
    ("pibk pupils", lambda w: "/pibk/murid/", COORDINATORS_ONLY),
    ("pibk attendance A", lambda w: "/pibk/aktiviti/A/", COORDINATORS_ONLY),
    ("pibk attendance unknown", lambda w: "/pibk/aktiviti/Z/",
     expect(403, anonymous=302, coord_a=404, coord_b=404)),
    ("pibk volunteers", lambda w: "/pibk/sukarelawan/", COORDINATORS_ONLY),
    ("pibk counts", lambda w: "/pibk/bilangan/", COORDINATORS_ONLY),
    ("pibk officer home", lambda w: "/pibk/pemantauan/",
     expect(302, coord_a=403, coord_b=403, resp_a=403)),
    ("pibk national dashboard", lambda w: "/pibk/pemantauan/national/KPM/",
     expect(404, **OFFICERS_ONLY, national=200, admin=200)),
    ("pibk state PRK dashboard", lambda w: "/pibk/pemantauan/state/PRK/",
     expect(404, **OFFICERS_ONLY, officer_s2=200, national=200, admin=200)),
    ("pibk district D1 dashboard", lambda w: "/pibk/pemantauan/district/SGR-PETALING/",
     expect(404, **OFFICERS_ONLY, **ABOVE_D1)),
    ("pibk district D1 schools", lambda w: "/pibk/pemantauan/district/SGR-PETALING/sekolah/",
     expect(404, **OFFICERS_ONLY, **ABOVE_D1)),
    ("pibk district D1 export",
     lambda w: "/pibk/pemantauan/district/SGR-PETALING/sekolah/?format=xlsx",
     expect(404, **OFFICERS_ONLY, **ABOVE_D1)),
    ("pibk targets", lambda w: "/pibk/sasaran/",
     expect(403, anonymous=302, national=200, admin=200)),
    # The audit trail (issue 14): officers and admins who see the school; school accounts never.
    ("school A history", lambda w: f"/sejarah/sekolah/{w.a.code}/",
     expect(404, **OFFICERS_ONLY, **ABOVE_D1)),
    ("school C history", lambda w: f"/sejarah/sekolah/{w.c.code}/",
     expect(404, **OFFICERS_ONLY, officer_s2=200, national=200, admin=200)),
]  # fmt: skip


def _rows():
    return [
        pytest.param(url, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, statuses in ROWS
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("url", "persona", "status"), _rows())
def test_permission_matrix(world, real_cycle, login, url, persona, status):
    client = login(world.users[persona])
    response = client.get(url(world))
    assert response.status_code == status, f"{persona} got {response.status_code}"
    if status == 200 and url(world).endswith(".pdf"):
        assert response["Content-Type"] == "application/pdf"
    if status == 302 and persona == "anonymous":
        assert response["Location"].startswith("/login/") or response["Location"].startswith(
            "/admin/login/"
        )


VISIBLE = {
    "officer_d1": {"BBA0001"},
    "officer_d2": {"BBB0002"},
    "officer_s1": {"BBA0001", "BBB0002"},
    "officer_s2": {"ABA0003"},
    "national": {"BBA0001", "BBB0002", "ABA0003"},
    "admin": {"BBA0001", "BBB0002", "ABA0003"},
}


@pytest.mark.parametrize(("persona", "codes"), VISIBLE.items())
def test_the_school_list_shows_exactly_the_officers_schools(world, login, persona, codes):
    content = login(world.users[persona]).get("/sekolah/").content.decode()
    for code in {"BBA0001", "BBB0002", "ABA0003"}:
        assert (f'data-school="{code}"' in content) == (code in codes), code


def test_a_district_filter_outside_scope_is_ignored(world, login):
    content = (
        login(world.users["officer_d1"])
        .get("/sekolah/", {"district": world.d3.code})
        .content.decode()
    )
    assert 'data-school="BBA0001"' in content and 'data-school="ABA0003"' not in content


# PIBK's acts (POST): the district above the school verifies and reopens; the
# coordinator ticks its own register; nobody else.
ACTS = [
    ("review", lambda w: f"/pibk/sekolah/{w.a.code}/semak/",
     {"window": "K1-NOV", "decision": "verified"},
     expect(404, anonymous=302, coord_a=403, coord_b=403, resp_a=403, officer_d1=302,
            officer_s1=302, national=302, admin=302)),
    ("reopen", lambda w: f"/pibk/sekolah/{w.a.code}/buka/",
     {"window": "K1-MAR", "until": "2099-01-01"},
     expect(404, anonymous=302, coord_a=403, coord_b=403, resp_a=403, officer_d1=302,
            officer_s1=302, national=302, admin=302)),
    ("tick", lambda w: f"/pibk/aktiviti/E/tanda/{w.pibk_family.pk}/", {"present": "1"},
     expect(403, anonymous=302, coord_a=302, coord_b=404)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "data", "persona", "status"),
    [
        pytest.param(url, data, persona, statuses[persona], id=f"{name}-{persona}")
        for name, url, data, statuses in ACTS
        for persona in PERSONAS
    ],
)
def test_pibk_acts_matrix(world, login, url, data, persona, status):
    from pibk.models import Family, Pupil
    from pibk.services import school_year_ensure, today

    school_year = school_year_ensure(school=world.a, year=today().year)
    world.pibk_family = Family.objects.create(school_year=school_year, key="K1")
    Pupil.objects.create(family=world.pibk_family, name="Ali", year_group="3", sports=True)
    response = login(world.users[persona]).post(url(world), data)
    assert response.status_code == status, f"{persona} got {response.status_code}"


# Restarting a stalled certificate batch (POST): the officers who may start the
# district's batch; the batch goes back to the queue only for them.
RESTART = expect(404, anonymous=302, coord_a=403, coord_b=403, resp_a=403, officer_d1=302,
                 officer_s1=302, national=302, admin=302)  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), RESTART.items())
def test_restarting_a_stalled_certificate_batch_matrix(world, mini_cycle, login, persona, status):
    import datetime

    from django.utils import timezone

    from monitoring.models import CertificateBatch

    batch = CertificateBatch.objects.create(
        cycle=mini_cycle,
        district=world.d1,
        requested_by=world.users["officer_d1"],
        status="running",
        total=17,
        done=4,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = login(world.users[persona]).post(f"/pemantauan/sijil/{batch.pk}/mula-semula/")
    assert response.status_code == status, f"{persona} got {response.status_code}"
    batch.refresh_from_db()
    if status == 302 and persona != "anonymous":
        assert response.url == f"/pemantauan/sijil/{batch.pk}/"
        assert (batch.status, batch.done) == ("queued", 0)
    else:
        assert (batch.status, batch.done) == ("running", 4)


# Reminders (POST): only officers above the district send them, and each is recorded.
SENDS_D1_REMINDERS = {"officer_d1", "officer_s1", "national", "admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reminders_matrix(world, real_cycle, login, persona):
    from monitoring.models import Reminder
    from monitoring.services import rollups_rebuild

    world.a.email = "sk.alfa@example.gov.my"
    world.a.save(update_fields=["email"])
    rollups_rebuild(cycle_id=real_cycle.pk)
    response = login(world.users[persona]).post("/pemantauan/district/SGR-PETALING/peringatan/")
    sent = Reminder.objects.filter(school=world.a).count()
    if persona in SENDS_D1_REMINDERS:
        assert response.status_code == 302 and sent == 1
    else:
        assert response.status_code in (302, 403, 404) and sent == 0
        if persona == "anonymous":
            assert response["Location"].startswith("/login/")
