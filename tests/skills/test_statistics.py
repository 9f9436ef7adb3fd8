"""Statistik (issue 16, item 8): intakes, pass rates per CU, certificates by level and place."""

import csv
import io

from django.urls import reverse

from schools.models import State
from skills.services import certificates as services
from skills.services.statistics import statistics_rebuild

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee


def _world(sw):
    sw.centre_a.state = State.objects.create(code="JHR", name="Johor")
    sw.centre_a.save()
    officer = sw.users["cert_officer"]
    intake_a = intake_of(sw)
    for outcomes in (ALL_COMPETENT, ALL_COMPETENT, {0: "competent", 1: "not_yet"}):
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake_a, trainee(), outcomes), by=officer
        )
    intake_b = intake_of(sw, centre=sw.centre_b, accreditation=sw.accreditation_b)
    import datetime

    early = sw.today - datetime.timedelta(days=60)
    services.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake_b, trainee(), ALL_COMPETENT, assessed_on=early), by=officer
    )
    # Made partly without the services (results straight into the table): rebuilt as the
    # hourly task does.
    for year in (sw.today.year, sw.today.year - 1):
        statistics_rebuild(year=year)
    return sw


def test_the_body_sees_every_centre(skills_world, login, django_assert_max_num_queries):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url, {"year": sw.today.year}).content.decode()
    assert 'data-figure="certificates">4<' in page
    assert 'data-level="SKM3" data-count="3"' in page and 'data-level="SP" data-count="1"' in page
    # The nation's places are its states: Johor (centre A) and centre B's (none recorded).
    assert 'data-place="JHR" data-place-count="3"' in page
    assert 'data-place="-" data-place-count="1"' in page
    assert "Pusat Latihan Bravo" not in page  # a centre shows under its state
    # CU 2: two competent of three assessed at A, one of one at B.
    assert f'data-unit="{sw.units[1].code}" data-rate="75.0"' in page


def test_a_centre_admin_sees_only_their_centre(skills_world, login):
    sw = _world(skills_world)
    page = login(sw.users["centre_admin_b"]).get(reverse("skills:statistics")).content.decode()
    assert 'data-figure="certificates">1<' in page and "Pusat Latihan Alfa" not in page
    assert 'data-figure="intakes">1<' in page and 'data-place="PB-B002"' in page


def test_the_body_drills_down_from_the_nation_to_a_state_and_its_centres(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")
    page = client.get(url, {"year": sw.today.year, "state": "JHR"}).content.decode()
    assert 'data-node="state:JHR"' in page and 'data-figure="certificates">3<' in page
    assert 'data-place="PB-A001" data-place-count="3"' in page
    assert "Pusat Latihan Bravo" not in page
    assert f'href="?year={sw.today.year}&amp;centre=PB-A001"' in page
    page = client.get(url, {"year": sw.today.year, "state": "-"}).content.decode()
    assert 'data-place="PB-B002" data-place-count="1"' in page
    assert "Pusat Latihan Alfa" not in page
    page = client.get(url, {"year": sw.today.year, "centre": "PB-A001"}).content.decode()
    assert 'data-figure="certificates">3<' in page and "Johor</a>" in page  # the breadcrumb
    for bad in ({"state": "XXX"}, {"centre": "PB-NONE"}):
        assert client.get(url, bad).status_code == 404
    assert client.get(url, {"state": "J\x00"}).status_code in (400, 404)  # never a 500


def test_a_centre_admin_cannot_see_a_state_or_another_centre(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["centre_admin_b"])
    url = reverse("skills:statistics")
    assert client.get(url, {"state": "JHR"}).status_code == 404
    assert client.get(url, {"state": "-"}).status_code == 404
    assert client.get(url, {"centre": "PB-A001"}).status_code == 404
    assert client.get(url, {"centre": "PB-A001", "format": "csv"}).status_code == 404
    assert client.get(url, {"centre": "PB-B002"}).status_code == 200
    assert login(sw.users["assessor_ab"]).get(url).status_code == 403
    assert login(sw.users["trainee"]).get(url).status_code == 403


def test_the_queries_do_not_grow_with_the_data(skills_world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    intake = intake_of(sw)
    for _ in range(5):
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake, trainee(), ALL_COMPETENT), by=sw.users["cert_officer"]
        )
    statistics_rebuild(year=sw.today.year)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_csv_export(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    client.cookies["ssqs_language"] = "en"
    response = client.get(reverse("skills:statistics"), {"year": sw.today.year, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response.status_code == 200 and len(rows) > 5
    assert any(r[1] == "SKM3" and r[3] == "3" for r in rows)
    assert ["Certificates by state", "JHR", "Johor", "3", "", ""] in rows


def test_the_export_follows_the_node_shown(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    client.cookies["ssqs_language"] = "en"
    response = client.get(reverse("skills:statistics"),
                          {"year": sw.today.year, "state": "JHR", "format": "csv"})  # fmt: skip
    assert f"skills-statistics-{sw.today.year}-jhr.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Certificates by centre", "PB-A001", "PB-A001 Pusat Latihan Alfa", "3", "", ""] in rows
    assert "PB-B002" not in text
    page = client.get(reverse("skills:statistics"), {"year": sw.today.year, "state": "JHR"})
    assert f"?year={sw.today.year}&amp;state=JHR&amp;format=csv" in page.content.decode()


def test_the_xlsx_export(skills_world, login):
    sw = _world(skills_world)
    response = login(sw.users["cert_officer"]).get(
        reverse("skills:statistics"), {"year": sw.today.year, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_year_outside_the_list_is_this_year(skills_world, login):
    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    for bad in ("1900", "abc", "\x00", "99999999999"):
        response = client.get(reverse("skills:statistics"), {"year": bad})
        assert response.status_code in (200, 400)


# --- the precomputed figures (issue 16: statistics pages 300 ms or less at 2M certificates) ---
def test_the_figures_equal_the_live_aggregate(skills_world):
    from skills.access import centres_for
    from skills.selectors.statistics import skills_statistics, skills_statistics_live

    sw = _world(skills_world)
    for year in (sw.today.year, sw.today.year - 1):
        assert skills_statistics(year=year) == skills_statistics_live(year=year)
        for state in ("JHR", "-"):
            assert skills_statistics(year=year, state=state) == skills_statistics_live(
                year=year, state=state
            )
        mine = centres_for(sw.users["centre_admin_b"], "skills.statistics")
        assert skills_statistics(year=year, centres=mine) == skills_statistics_live(
            year=year, centres=mine
        )
    assert skills_statistics(year=sw.today.year).total == 4


def test_the_page_reads_the_figures_not_the_records(skills_world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    client.get(reverse("skills:statistics"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("skills:statistics"), {"year": sw.today.year})
    assert 'data-figure="certificates">4<' in page.content.decode()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("skills_result", "skills_certificate", "skills_enrolment", "skills_intake"):
        assert f'"{table}"' not in read, table


def test_the_services_refresh_the_figures_once_they_commit(
    skills_world, django_capture_on_commit_callbacks
):
    """Opening, enrolling, recording and issuing each announce it; no rebuild by hand."""
    import datetime

    from skills import rules
    from skills.selectors.statistics import skills_statistics, skills_statistics_live
    from skills.services import intakes, results, verification

    sw = skills_world
    admin, assessor = sw.users["centre_admin_a"], sw.users["assessor_ab"]
    start = sw.today - datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        intake = intakes.intake_open(centre=sw.centre_a, accreditation=sw.accreditation_a,
                                     code="STAT/1", starts_on=start, ends_on=sw.today,
                                     by=admin, today=sw.today)  # fmt: skip
    assert skills_statistics(year=start.year).intakes == 1
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = intakes.trainee_enrol(intake=intake, id_number="010101101234",
                                          name="Lim Mei Ling", by=admin).enrolment  # fmt: skip
    assert skills_statistics(year=start.year).trainees == 1
    entries = [results.Entry(enrolment.pk, u.pk, rules.COMPETENT, sw.today) for u in sw.units]
    with django_capture_on_commit_callbacks(execute=True):
        results.results_record(intake=intake, entries=entries, by=assessor, today=sw.today)
    assert [u["assessed"] for u in skills_statistics(year=sw.today.year).units] == [1, 1, 1]
    intakes.intake_submit(intake=intake, by=admin)
    verification.verifier_assign(intake=intake, verifier_id=sw.users["verifier"].pk,
                                 by=sw.users["cert_officer"])  # fmt: skip
    verification.intake_verify(intake=intake, verifier=sw.users["verifier"], whole_intake=True,
                               sample_ids=[], findings="", decision=rules.APPROVED,
                               comments="")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.certificates_issue_for_enrolment(enrolment=enrolment,
                                                  by=sw.users["cert_officer"])  # fmt: skip
    figures = skills_statistics(year=sw.today.year)
    assert figures.by_level == [("SKM3", 1)]
    assert figures == skills_statistics_live(year=sw.today.year)


def test_a_changed_date_refreshes_the_year_it_left(
    skills_world, django_capture_on_commit_callbacks
):
    import datetime

    from skills import rules
    from skills.selectors.statistics import skills_statistics
    from skills.services import results

    from .training_factories import intake_at, trainees_in

    sw = skills_world
    sw.accreditation_a.valid_from = sw.today - datetime.timedelta(days=800)
    sw.accreditation_a.save()
    intake = intake_at(sw, days_ago=600)
    enrolment = trainees_in(intake, 1)[0]
    last_year = datetime.date(sw.today.year - 1, 6, 1)
    entry = results.Entry(enrolment.pk, sw.units[0].pk, rules.COMPETENT, last_year)
    with django_capture_on_commit_callbacks(execute=True):
        results.results_record(intake=intake, entries=[entry], by=sw.users["assessor_ab"],
                               today=sw.today)  # fmt: skip
    assert skills_statistics(year=last_year.year).units[0]["assessed"] == 1
    moved = results.Entry(enrolment.pk, sw.units[0].pk, rules.COMPETENT, sw.today)
    with django_capture_on_commit_callbacks(execute=True):
        results.results_record(intake=intake, entries=[moved], by=sw.users["assessor_ab"],
                               today=sw.today)  # fmt: skip
    assert skills_statistics(year=last_year.year).units == []
    assert skills_statistics(year=sw.today.year).units[0]["assessed"] == 1


def test_the_rebuild_command_and_the_periodic_task(skills_world):
    from django.core.management import call_command

    from skills.models import CentreYearFigures, SkillsRollUp
    from skills.selectors.statistics import skills_statistics, skills_statistics_live
    from skills.tasks import rebuild_statistics

    sw = _world(skills_world)
    CentreYearFigures.objects.all().delete()
    SkillsRollUp.objects.all().delete()
    assert skills_statistics(year=sw.today.year).total == 0
    out = io.StringIO()
    call_command("skills_statistics_rebuild", str(sw.today.year), stdout=out)
    assert f"{sw.today.year}: figures of 2 centres rebuilt" in out.getvalue()
    assert skills_statistics(year=sw.today.year) == skills_statistics_live(year=sw.today.year)
    assert skills_statistics(year=sw.today.year, state="JHR") == skills_statistics_live(
        year=sw.today.year, state="JHR"
    )
    CentreYearFigures.objects.all().delete()
    SkillsRollUp.objects.all().delete()
    rebuild_statistics.apply()
    assert skills_statistics(year=sw.today.year).total == 4


# --- on the roll-up kit (core.rollups) ---
def test_the_rollup_rows_equal_the_live_aggregate(skills_world):
    """Each stored node (nation, each state) holds what the records say, figure by figure."""
    from skills.models import SkillsRollUp
    from skills.selectors.statistics import skills_statistics_live

    sw = _world(skills_world)
    year = sw.today.year
    rows = {(r.level, r.code): r for r in SkillsRollUp.objects.filter(period=year)}
    assert set(rows) == {("national", "KPM"), ("state", "JHR"), ("state", "-")}
    assert rows[("state", "JHR")].parent_code == "KPM" and rows[("state", "JHR")].schools == 1
    for (level, code), row in rows.items():
        live = skills_statistics_live(year=year, state=None if level == "national" else code)
        assert row.intakes == live.intakes and row.trainees == live.trainees
        assert row.certificates == live.total == sum(row.by_kind.values())
        assert sorted(row.by_kind.items()) == sorted(live.by_level)
        assert {int(u): tuple(n) for u, n in row.units.items()} == {
            u["unit_id"]: (u["assessed"], u["competent"]) for u in live.units
        }
        assert row.assessed == sum(u["assessed"] for u in live.units)
        assert row.competent == sum(u["competent"] for u in live.units)
    assert rows[("national", "KPM")].centres == 2 and rows[("national", "KPM")].certificates == 4


def test_a_centre_moving_state_leaves_no_stale_node(skills_world):
    from skills.models import SkillsRollUp
    from skills.rollups import rollups_rebuild

    sw = _world(skills_world)
    sw.centre_b.state = sw.centre_a.state
    sw.centre_b.save()
    rollups_rebuild(year=sw.today.year)
    rows = SkillsRollUp.objects.filter(period=sw.today.year)
    assert sorted(rows.values_list("code", flat=True)) == ["JHR", "KPM"]
    assert rows.get(code="JHR").certificates == 4 and rows.get(code="JHR").centres == 2


def test_the_node_figures_rule():
    """A centre counts in its state and the nation; no state recorded: the '-' node."""
    from skills.rollups import node_figures

    nodes = node_figures(
        [("SGR", "Selangor", 2, 40, {"SKM1": {"3": 5}}), ("SGR", "Selangor", 1, 10, {}),
         (None, "", 1, 5, {"SKM1": {"3": 1}, "SP": {"4": 2}})],
        [("SGR", 7, 30, 27), (None, 7, 5, 1)],
    )  # fmt: skip
    nation, sgr, none = nodes[("national", "KPM")][1], nodes[("state", "SGR")][1], nodes[
        ("state", "-")][1]  # fmt: skip
    assert (sgr["centres"], sgr["intakes"], sgr["trainees"], sgr["certificates"]) == (2, 3, 50, 5)
    assert (none["centres"], none["certificates"], none["by_kind"]) == (1, 3, {"SKM1": 1, "SP": 2})
    assert nation["by_sector"] == {"3": 6, "4": 2} and nation["units"] == {"7": [35, 28]}
    assert (nation["assessed"], nation["competent"], nation["centres"]) == (35, 28, 3)
    assert nodes[("state", "-")][0] == "No state recorded"


def test_a_statistics_get_writes_nothing(skills_world, login):
    from tests.rollups.test_dashboards_read_only import writes_of

    sw = _world(skills_world)
    url = reverse("skills:statistics")
    client = login(sw.users["cert_officer"])
    for query in ("", "?state=JHR", "?state=-", "?centre=PB-B002", "?format=csv",
                  "?state=JHR&format=xlsx", "?year=1999"):  # fmt: skip
        assert writes_of(client, url + query) == [], query
    assert writes_of(login(sw.users["centre_admin_a"]), url) == []


def test_the_state_page_takes_the_same_queries_for_few_or_many_centres(skills_world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from skills.models import Accreditation, Centre

    sw = _world(skills_world)
    client = login(sw.users["cert_officer"])
    url = reverse("skills:statistics")

    def queries(params):
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, params)
        return len(ctx)

    few = [queries(p) for p in ({}, {"state": "JHR"})]
    for n in range(4):
        centre = Centre.objects.create(code=f"PB-X{n}", name=f"Pusat {n}", state=sw.centre_a.state)
        accreditation = Accreditation.objects.create(
            centre=centre, standard=sw.standard, state="approved",
            valid_from=sw.accreditation_a.valid_from, expires_on=sw.accreditation_a.expires_on,
            decided_at=sw.accreditation_a.decided_at,
        )  # fmt: skip
        intake = intake_of(sw, centre=centre, accreditation=accreditation)
        services.certificates_issue_for_enrolment(
            enrolment=enrol(sw, intake, trainee(), ALL_COMPETENT), by=sw.users["cert_officer"]
        )
    statistics_rebuild(year=sw.today.year)
    assert [queries(p) for p in ({}, {"state": "JHR"})] == few
