"""SPMI's permission matrix for the school's quality team (issue 18), beside the main matrix's
SPMI rows (tests/test_permission_matrix.py): every SPMI page for the quality team of school A
and of school B, and every act of the team against the people who may not do it, with the
database effect asserted."""

import datetime

import pytest

from tests.factories import person
from tests.spmi.factories import criterion_pk, indicator_pk, quality_team, spmi_cycle
from tests.test_permission_matrix import ROWS, _spmi_state

# The team of A sees A's pages; B's team sees none of A's (404) and B's own school page.
TEAM_A = {
    "spmi home": 302, "spmi school A": 200, "spmi school B": 404, "spmi plan A": 200,
    "spmi plan A pdf": 200, "spmi action A": 200, "spmi action A seen from B": 404,
    "spmi standards": 200, "spmi follow": 403, "spmi district D1": 403, "spmi national": 403,
    "spmi model schools": 200,
    "spmi model school A (not a model)": 404, "spmi evidence file A": 200,
    "spmi evidence file A seen from B": 404,
}  # fmt: skip
TEAM_B = TEAM_A | {"spmi school A": 404, "spmi school B": 200, "spmi plan A": 404,
                   "spmi evidence file A": 404,
                   "spmi plan A pdf": 404, "spmi action A": 404}  # fmt: skip
SPMI_ROWS = [row for row in ROWS if row[0].startswith("spmi")]


def _team_b(w):
    return person("mutu.bbb0002", roles=[("quality_team", w.b)])


@pytest.mark.parametrize(("who", "expected"), [("a", TEAM_A), ("b", TEAM_B)])
@pytest.mark.parametrize(("name", "url"), [pytest.param(r[0], r[1], id=r[0]) for r in SPMI_ROWS])
def test_the_quality_teams_pages(world, login, who, expected, name, url):
    user = quality_team(world) if who == "a" else _team_b(world)
    status = expected.get(name, 405)  # the POST-only acts answer a GET with 405
    response = login(user).get(url(world))
    assert response.status_code == status


def _year(w):
    return w.spmi_cycle.year


ACTS = [
    # (name, stage set up, url, form, who may)
    ("open", None, lambda w: f"/spmi/sekolah/{w.a.code}/buka/?year={datetime.date.today().year}",
     lambda w: {}),
    ("rate", "mapping",
     lambda w: f"/spmi/sekolah/{w.a.code}/kriteria/{criterion_pk(w)}/?year={_year(w)}",
     lambda w: {f"c{criterion_pk(w)}-level": "3", f"c{criterion_pk(w)}-evidence": "Minit"}),
    ("add action", "planning", lambda w: f"/spmi/sekolah/{w.a.code}/pelan/?year={_year(w)}",
     lambda w: {"indicator": indicator_pk(w), "goal": "g", "baseline": "1",
                "baseline_source": "Rekod", "target": "2",
                "target_date": datetime.date.today().isoformat(), "implements": "a",
                "oversees": "b", "success": "s"}),
    ("progress", "carrying_out", lambda w: f"/spmi/sekolah/{w.a.code}/tindakan/{w.spmi_action.pk}/",
     lambda w: {"progress": "1", "on": datetime.date.today().isoformat(), "note": "n",
                "evidence": "e"}),
    ("close", "carrying_out", lambda w: f"/spmi/sekolah/{w.a.code}/tindakan/{w.spmi_action.pk}/",
     lambda w: {"close": "1", "evidence": "Borang", "remeasured": "2"}),
]  # fmt: skip
# Whoever is not A's quality team: refused (403 or 404), nothing changes.
OTHERS = ["anonymous", "head_a", "coord_a", "officer_d1", "national", "subject_head_a",
          "team_b"]  # fmt: skip


def _who(w, persona):
    if persona == "team_a":
        return quality_team(w)
    if persona == "team_b":
        return _team_b(w)
    return w.users[persona]


@pytest.mark.parametrize("persona", ["team_a", *OTHERS])
@pytest.mark.parametrize(
    ("name", "stage", "url", "form"), [pytest.param(*a, id=a[0]) for a in ACTS]
)
def test_the_quality_teams_acts(world, login, persona, name, stage, url, form):
    quality_team(world)
    if stage is not None:
        spmi_cycle(world, stage)
    else:
        from spmi.standards import current_set

        current_set()
    client = login(_who(world, persona))
    before = _spmi_state(world)
    response = client.post(url(world), form(world))
    after = _spmi_state(world)
    if persona == "team_a":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert after != before
    else:
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert persona == "anonymous" and response["Location"].startswith("/login/")
        assert after == before


def test_finishing_the_evaluation_is_the_teams(world, login):
    from spmi.models import Cycle
    from spmi.selectors.evaluation import criteria_rows, evaluation
    from spmi.services.evaluation import rating_save

    cycle = spmi_cycle(world, "mapping")
    team = quality_team(world)
    for row in criteria_rows(evaluation(cycle)):
        rating_save(cycle=cycle, criterion=row.criterion, level=row.data_level or 3,
                    evidence="e", justification="", priority=True, by=team)  # fmt: skip
    url = f"/spmi/sekolah/{world.a.code}/selesai/?year={cycle.year}"
    for persona in ("head_a", "officer_d1", "coord_a"):
        assert login(world.users[persona]).post(url).status_code in (403, 404)
        assert Cycle.objects.get(pk=cycle.pk).stage == "mapping"
    assert login(team).post(url).status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).stage == "planning"
