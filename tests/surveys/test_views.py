import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Answer, Rating, Respondent
from surveys.rating import rating_recompute
from tests.factories import PASSWORD
from tests.surveys.conftest import best_post, complete, respondents


def choose(client, tag):
    return client.post("/ssqs/pilih/", {"tag_number": tag})


@pytest.fixture
def resp_client(world, real_cycle, login):
    return login(world.users["resp_a"])


def test_the_respondent_logs_in_with_code_plus_r_and_chooses_a_tag(world, real_cycle, client):
    response = client.post("/login/", {"username": "bba0001r", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").url == "/ssqs/pilih/"
    assert client.get("/ssqs/domain/").url == "/ssqs/pilih/"  # no tag yet
    teacher = respondents(real_cycle, world.a, "teacher").first()
    response = choose(client, teacher.tag_display.lower())
    assert response.url == "/ssqs/domain/"
    content = client.get("/ssqs/domain/").content.decode()
    codes = re.findall(r'data-domain="(\w+)" data-complete="(\w+)"', content)
    assert codes == [("U1", "false"), ("U2", "false"), ("H2", "false"), ("A1", "false")]


def test_a_wrong_tag_is_refused_without_saying_which_tags_exist(world, real_cycle, resp_client):
    other_school = respondents(real_cycle, world.b).first()
    for tag in ["ZZZZ-ZZZZ", other_school.tag, "not-a-tag"]:
        response = choose(resp_client, tag)
        assert response.status_code == 400
        assert "tidak ada dalam senarai sekolah anda" in response.content.decode()


def test_repeated_wrong_tags_are_throttled(world, real_cycle, resp_client):
    for _ in range(10):
        choose(resp_client, "ZZZZ-ZZZZ")
    good = respondents(real_cycle, world.a).first()
    response = choose(resp_client, good.tag)
    assert response.status_code == 429  # even the right one waits


def test_a_respondent_of_school_a_never_reaches_school_b(world, real_cycle, resp_client):
    choose(resp_client, respondents(real_cycle, world.a, "teacher").first().tag)
    b_teacher = respondents(real_cycle, world.b, "teacher").first()
    session = resp_client.session
    session["ssqs_respondent"] = b_teacher.pk  # a forged session value
    session.save()
    assert resp_client.get("/ssqs/domain/").url == "/ssqs/pilih/"
    assert resp_client.post("/ssqs/domain/U1/", {"U1-01": "4"}).status_code == 302
    assert not Answer.objects.filter(respondent=b_teacher).exists()


def test_domain_form_names_inputs_by_question_code(world, real_cycle, resp_client):
    teacher = respondents(real_cycle, world.a, "teacher").first()
    choose(resp_client, teacher.tag)
    content = resp_client.get("/ssqs/domain/U2/").content.decode()
    assert 'name="U2-01"' in content and 'name="U2-06"' not in content  # U2-06 is for pupils
    assert '<button type="submit" name="save"' in content
    assert content.count('class="mandatory"') == 5


def test_a_plain_post_saves_and_redirects_and_the_domain_turns_green(
    world, real_cycle, resp_client
):
    teacher = respondents(real_cycle, world.a, "teacher").select_related("cycle").first()
    choose(resp_client, teacher.tag)
    spec = real_cycle.instrument.spec
    response = resp_client.post("/ssqs/domain/U1/", best_post(spec, "U1", "teacher"))
    assert response.status_code == 302
    content = resp_client.get("/ssqs/domain/").content.decode()
    assert 'data-domain="U1" data-complete="true"' in content
    assert 'data-domain="U2" data-complete="false"' in content


def test_an_htmx_save_answers_with_the_form_and_the_new_buttons(world, real_cycle, resp_client):
    teacher = respondents(real_cycle, world.a, "teacher").first()
    choose(resp_client, teacher.tag)
    spec = real_cycle.instrument.spec
    response = resp_client.post(
        "/ssqs/domain/U1/", best_post(spec, "U1", "teacher"), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert 'id="domain-form"' in content and 'data-saved="true"' in content
    assert 'hx-swap-oob="true"' in content
    assert 'data-domain="U1" data-complete="true"' in content


def test_a_bad_value_keeps_what_was_typed_and_saves_nothing(world, real_cycle, resp_client):
    teacher = respondents(real_cycle, world.a, "teacher").first()
    choose(resp_client, teacher.tag)
    response = resp_client.post(
        "/ssqs/domain/U1/",
        {"U1-01": "4", "U1-09": "banyak", "U1-10": "guna tablet"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "&#x27;banyak&#x27; bukan nombor" in content
    assert 'value="banyak"' in content and 'value="guna tablet"' in content
    assert re.search(r'value="4"\s+checked', content)
    assert not Answer.objects.filter(respondent=teacher).exists()


def test_the_filled_form_prints_only_when_all_domains_are_green(world, real_cycle, resp_client):
    teacher = respondents(real_cycle, world.a, "teacher").select_related("cycle", "school").first()
    choose(resp_client, teacher.tag)
    assert resp_client.get("/ssqs/borang.pdf").status_code == 302
    complete(teacher)
    content = resp_client.get("/ssqs/domain/").content.decode()
    assert 'data-print="respondent-form"' in content
    response = resp_client.get("/ssqs/borang.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_switching_respondent_asks_for_a_tag_again(world, real_cycle, resp_client):
    choose(resp_client, respondents(real_cycle, world.a).first().tag)
    assert resp_client.post("/ssqs/tukar/").url == "/ssqs/pilih/"
    assert resp_client.get("/ssqs/domain/").url == "/ssqs/pilih/"


def test_the_roster_lists_every_respondent_with_tag_and_category(world, real_cycle, login):
    content = login(world.users["coord_a"]).get("/ssqs/responden/").content.decode()
    rows = re.findall(r'data-tag="(\w+)" data-category="(\w+)"', content)
    assert len(rows) == 62
    assert [c for _t, c in rows].count("teacher") == 30
    assert 'data-print="respondent-slips"' in content


def test_the_coordinator_writes_names_and_sets_the_respondent_password(world, real_cycle, login):
    client = login(world.users["coord_a"])
    teacher = respondents(real_cycle, world.a, "teacher").first()
    client.post("/ssqs/responden/", {"action": "names", f"name-{teacher.pk}": "Cikgu Aminah"})
    teacher.refresh_from_db()
    assert teacher.name == "Cikgu Aminah"
    client.post(
        "/ssqs/responden/kata-laluan/",
        {"password1": "Responden-2026!", "password2": "Responden-2026!"},
    )
    world.users["resp_a"].refresh_from_db()
    assert world.users["resp_a"].check_password("Responden-2026!")


def test_the_slips_print_as_a_pdf(world, real_cycle, login):
    response = login(world.users["coord_a"]).get("/ssqs/responden/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_profile_saves_lain_lain(world, real_cycle, login):
    client = login(world.users["coord_a"])
    content = client.get("/ssqs/profil/").content.decode()
    assert "Lain-lain" in content and 'data-domain="L1" data-complete="false"' in content
    client.post(
        "/ssqs/profil/",
        {"L1-01": "40", "L1-02": "1", "L1-03": "100", "L1-04": "gentian", "L1-06": "ya"},
    )
    assert 'data-domain="L1" data-complete="true"' in client.get("/ssqs/profil/").content.decode()


def test_the_result_page_carries_the_stable_attributes(world, mini_cycle, login):
    for respondent in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(respondent)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.c.pk)
    content = (
        login(world.users["officer_s2"]).get(f"/ssqs/sekolah/{world.c.code}/").content.decode()
    )
    assert 'data-score="100" data-stars="5" data-band="Advance Plus" data-status="final"' in content
    for code in ("usage", "human_capital", "applications", "infrastructure"):
        assert f'data-indicator="{code}" data-score="100.00"' in content
    assert 'data-print="school-certificate"' in content
    response = login(world.users["officer_s2"]).get(f"/ssqs/sekolah/{world.c.code}/sijil.pdf")
    assert response["Content-Type"] == "application/pdf"


def test_no_certificate_while_provisional(world, mini_cycle, login):
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    client = login(world.users["coord_a"])
    assert 'data-status="provisional"' in client.get("/ssqs/sekolah/BBA0001/").content.decode()
    assert client.get("/ssqs/sekolah/BBA0001/sijil.pdf").status_code == 302


def test_an_officer_reopens_a_school_and_it_is_recorded(world, mini_cycle, login):
    import datetime

    from django.utils import timezone

    until = timezone.localdate() + datetime.timedelta(days=5)
    client = login(world.users["officer_d1"])
    client.post(
        "/ssqs/sekolah/BBA0001/buka-semula/", {"until": until.isoformat(), "reason": "banjir"}
    )
    from core.review.models import ReviewEvent

    reopening = ReviewEvent.objects.select_related("subject").get()
    assert (reopening.subject.school, reopening.by, reopening.until, reopening.act) == (
        world.a,
        world.users["officer_d1"],
        until,
        "reopened",
    )
    assert reopening.subject.reopened_until == until and reopening.comment == "banjir"
    assert (
        login(world.users["officer_d2"])
        .post("/ssqs/sekolah/BBA0001/buka-semula/", {"until": until.isoformat()})
        .status_code
        == 404
    )
    assert (
        login(world.users["coord_a"])
        .post("/ssqs/sekolah/BBA0001/buka-semula/", {"until": until.isoformat()})
        .status_code
        == 403
    )


def count(client, url, method="get", data=None, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {}, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return len(ctx)


def test_page_queries_do_not_grow_with_respondents_or_answers(world, real_cycle, login, client):
    spec = real_cycle.instrument.spec
    coordinator = login(world.users["coord_a"])
    roster_before = count(coordinator, "/ssqs/responden/")
    result_before = count(coordinator, "/ssqs/sekolah/BBA0001/")
    teachers = list(respondents(real_cycle, world.a, "teacher").select_related("cycle", "school"))
    for teacher in teachers[:5]:
        complete(teacher)
    rating_recompute(cycle_id=real_cycle.pk, school_id=world.a.pk)
    assert count(coordinator, "/ssqs/responden/") == roster_before
    assert count(coordinator, "/ssqs/sekolah/BBA0001/") == result_before + 0

    resp = login(world.users["resp_a"])
    choose(resp, teachers[10].tag)
    counts = {
        url: count(resp, url) for url in ("/ssqs/domain/", "/ssqs/domain/U1/", "/ssqs/domain/H2/")
    }
    assert counts["/ssqs/domain/U1/"] == counts["/ssqs/domain/H2/"]  # 10 vs 9 questions
    save = count(
        resp,
        "/ssqs/domain/U1/",
        "post",
        best_post(spec, "U1", "teacher"),
        headers={"HX-Request": "true"},
    )
    save_again = count(
        resp,
        "/ssqs/domain/H2/",
        "post",
        best_post(spec, "H2", "teacher"),
        headers={"HX-Request": "true"},
    )
    assert save == save_again
    assert count(resp, "/ssqs/domain/U1/") == counts["/ssqs/domain/U1/"]


def test_ratings_appear_on_the_officers_school_page(world, mini_cycle, login):
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    content = login(world.users["officer_d1"]).get("/sekolah/BBA0001/").content.decode()
    assert 'data-status="provisional"' in content and "/ssqs/sekolah/BBA0001/" in content
    assert Rating.objects.count() == 1 and Respondent.objects.count() == 138
