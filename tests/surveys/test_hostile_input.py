"""The SSQS pages answer hostile input with a clear message, never a 500 (issue 11, item 7)."""

import pytest

from surveys.models import Answer, ProfileAnswer, Respondent
from surveys.rosters import respondent_add
from tests.surveys.conftest import respondents


def choose(client, tag):
    return client.post("/ssqs/pilih/", {"tag_number": tag})


@pytest.fixture
def resp_client(world, real_cycle, login):
    return login(world.users["resp_a"])


@pytest.fixture
def coordinator_c(world, real_cycle, login):
    """The coordinator of the small school C, which may add (and remove) respondents."""
    from tests.factories import coordinator_for

    return login(coordinator_for(world.c))


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Pilih Responden ------------------------------------------------------------


def test_a_json_body_posted_to_pilih_asks_for_the_tag_number(world, real_cycle, resp_client):
    response = resp_client.post(
        "/ssqs/pilih/", data='{"tag_number": "ZZZZ-ZZZZ"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "Medan ini diperlukan" in response.content.decode()
    assert resp_client.session.get("ssqs_respondent") is None


def test_an_empty_post_to_pilih_asks_for_the_tag_number(world, real_cycle, resp_client):
    response = resp_client.post("/ssqs/pilih/", {})
    assert response.status_code == 400
    assert "Medan ini diperlukan" in response.content.decode()


def test_a_nul_byte_in_the_tag_number_is_refused_with_a_message(world, real_cycle, resp_client):
    response = choose(resp_client, "ZZZZ\x00ZZZZ")
    assert response.status_code == 400
    assert "Karakter Null tidak dibenarkan" in response.content.decode()


# --- Maklumat Responden (roster) ------------------------------------------------

HOSTILE_IDS = [
    "1.5",
    "-1",
    "0",
    str(2**31),
    str(2**63),
    "²",
    "١٢",
    "",
    " ",
    "1e3",
    "0x10",
    "1 OR 1=1",
    "\x00",
    "1\x00",
    "9" * 40,
    "abc",
]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_removing_a_respondent_with_a_hostile_id_says_which_respondent_is_wrong(
    world, real_cycle, coordinator_c, value
):
    extra = respondent_add(cycle=real_cycle, school=world.c, category="pupil")
    response = coordinator_c.post(
        "/ssqs/responden/", {"action": "remove", "respondent": value}, follow=True
    )
    assert response.status_code == 200
    assert any("responden" in m.lower() for m in messages_of(response))
    assert Respondent.objects.filter(pk=extra.pk).exists()


def test_removing_a_respondent_of_another_school_says_it_is_not_on_the_roster(
    world, real_cycle, coordinator_c
):
    other = respondent_add(cycle=real_cycle, school=world.c, category="pupil")
    a_pupil = respondents(real_cycle, world.a, "pupil").first()
    response = coordinator_c.post(
        "/ssqs/responden/", {"action": "remove", "respondent": str(a_pupil.pk)}, follow=True
    )
    assert any("tiada dalam senarai" in m for m in messages_of(response))
    assert Respondent.objects.filter(pk__in=[other.pk, a_pupil.pk]).count() == 2


def test_removing_an_added_respondent_by_its_id_still_works(world, real_cycle, coordinator_c):
    extra = respondent_add(cycle=real_cycle, school=world.c, category="pupil")
    coordinator_c.post("/ssqs/responden/", {"action": "remove", "respondent": str(extra.pk)})
    assert not Respondent.objects.filter(pk=extra.pk).exists()


def test_a_name_key_with_a_superscript_digit_is_ignored(world, real_cycle, login):
    client = login(world.users["coord_a"])
    teacher = respondents(real_cycle, world.a, "teacher").first()
    response = client.post(
        "/ssqs/responden/",
        {"action": "names", "name-²": "x", "name-١": "y", f"name-{teacher.pk}": "Cikgu Aminah"},
        follow=True,
    )
    assert response.status_code == 200
    teacher.refresh_from_db()
    assert teacher.name == "Cikgu Aminah"
    assert not Respondent.objects.filter(name__in=["x", "y"]).exists()


def test_a_name_key_with_a_huge_number_is_ignored(world, real_cycle, login):
    client = login(world.users["coord_a"])
    response = client.post(
        "/ssqs/responden/", {"action": "names", "name-" + "9" * 40: "x"}, follow=True
    )
    assert response.status_code == 200
    assert not Respondent.objects.filter(name="x").exists()


def test_a_nul_byte_in_a_roster_name_is_refused_naming_the_tag(world, real_cycle, login):
    client = login(world.users["coord_a"])
    teachers = list(respondents(real_cycle, world.a, "teacher").order_by("number")[:2])
    response = client.post(
        "/ssqs/responden/",
        {
            "action": "names",
            f"name-{teachers[0].pk}": "Cikgu Aminah",
            f"name-{teachers[1].pk}": "Cikgu\x00Bala",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any(teachers[1].tag_display in m for m in messages_of(response))
    # Nothing half-saved: the good name waits for the bad one to be mended.
    assert not Respondent.objects.filter(pk__in=[t.pk for t in teachers]).exclude(name="").exists()


# --- answers and the school profile ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value"),
    [("U1-10", "guna\x00tablet"), ("U1-09", "5\x00"), ("U1-09", "\x00"), ("U1-01", "4\x00")],
)
def test_a_nul_byte_in_an_answer_is_refused_naming_the_question(
    world, real_cycle, resp_client, code, value
):
    teacher = respondents(real_cycle, world.a, "teacher").first()
    choose(resp_client, teacher.tag)
    response = resp_client.post(
        "/ssqs/domain/U1/", {"U1-01": "4", code: value}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "aksara NUL" in response.content.decode()
    assert not Answer.objects.filter(respondent=teacher).exists()


def test_a_nul_byte_in_the_profile_text_is_refused(world, real_cycle, login):
    client = login(world.users["coord_a"])
    response = client.post(
        "/ssqs/profil/",
        {"L1-01": "40", "L1-02": "1", "L1-03": "100", "L1-06": "ya", "L1-07": "Cikgu\x00Ali"},
    )
    assert response.status_code == 400
    assert "aksara NUL" in response.content.decode()
    assert not ProfileAnswer.objects.filter(school=world.a).exists()


# --- searches ----------------------------------------------------------------------


def test_a_nul_byte_in_the_school_search_is_not_a_500(world, login):
    response = login(world.users["national"]).get("/sekolah/", {"q": "ALFA\x00"})
    assert response.status_code == 400
    assert "“q”" in response.content.decode()


def test_a_nul_byte_in_the_monitoring_school_table_search_is_not_a_500(world, real_cycle, login):
    response = login(world.users["national"]).get(
        "/pemantauan/national/KPM/sekolah/", {"q": "ALFA\x00"}
    )
    assert response.status_code == 400
    assert "“q”" in response.content.decode()
