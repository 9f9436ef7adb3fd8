"""Issue 13, respondents' part: numbers, "none of these", saves that are retried,
ended sessions, the password change while respondents answer, notices and progress."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import override

from surveys.answering import domain_save, respondents_active
from surveys.answers import NumberError, clean_value, parse_number
from surveys.instrument import parse_instrument
from surveys.models import Answer, Respondent, SaveReceipt
from tests.factories import PASSWORD
from tests.surveys.conftest import post, respondents
from tests.surveys.instruments import mini

DEFAULT = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "ssqs-2026.yaml"
AUTOSAVE = {"X-Autosave": "1"}


# --- item 6: numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("35", Decimal("35")),
        ("3.5", Decimal("3.5")),
        (" 50 ", Decimal("50")),
        ("1,234", Decimal("1234")),
        ("1,000", Decimal("1000")),
        ("12,345.5", Decimal("12345.5")),
        ("1,234,567", Decimal("1234567")),
        (".5", Decimal("0.5")),
        ("-2", Decimal("-2")),
        ("1e1", Decimal("10")),
    ],
)
def test_an_unambiguous_number_is_read(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3,5", "'3,5' is ambiguous: the decimal mark is a point. Write 3.5 for a decimal, or 35"),
        ("12,50", "'12,50' is ambiguous"),
        ("1,2345", "'1,2345' is ambiguous"),
        ("1,23.5", "'1,23.5' is ambiguous: a comma groups thousands"),
        ("1,2,3", "'1,2,3' is ambiguous"),
        ("3.5.1", "'3.5.1' is not a number"),
        ("1 000", "'1 000' is not a number"),
        ("١٢", "'١٢' is not a number"),
        ("NaN", "'NaN' is not a number"),
        ("Infinity", "'Infinity' is not a number"),
        ("1e999999999", "'1e999999999' is not a number"),
        ("tiga", "'tiga' is not a number"),
    ],
)
def test_an_ambiguous_or_odd_number_is_refused_with_the_reason(typed, message):
    with override("en"), pytest.raises(NumberError) as info:
        parse_number(typed)
    assert message in str(info.value)


def test_a_number_typed_with_a_decimal_comma_is_refused_not_saved_as_35(mini_cycle, world):
    coordinator = respondents(mini_cycle, world.a, "coordinator").first()
    with override("en"):
        result = domain_save(respondent=coordinator, domain_code="A1", post=post(A1_01="3,5"))
    assert "ambiguous" in result.cleaned.errors["A1-01"]
    assert not Answer.objects.filter(respondent=coordinator).exists()


def test_fifty_is_stored_and_shown_back_as_fifty(world, real_cycle, login):
    client = login(world.users["coord_a"])
    response = client.post("/ssqs/profil/", {"L1-01": "50", "L1-03": "1,000"})
    assert response.status_code == 302
    content = client.get("/ssqs/profil/").content.decode()
    assert 'name="L1-01" id="L1-01" value="50"' in content
    assert 'name="L1-03" id="L1-03" value="1000"' in content
    assert "E+" not in content


# --- item 7: "none of these" -------------------------------------------------------


def test_the_instrument_marks_tiada_of_every_multiple_question_exclusive():
    spec = parse_instrument(yaml.safe_load(DEFAULT.read_text()))
    multiple = [q for q in spec.questions if q.type == "multiple"]
    assert multiple
    for question in multiple:
        tiada = question.option("tiada")
        if tiada is not None:
            assert tiada.exclusive, question.code
        assert not all(o.exclusive for o in question.options)
    assert spec.question("U1-08").option("tiada").exclusive
    assert not spec.question("U1-08").option("cuti").exclusive


def _h1_options(data):
    return next(q for q in data["questions"] if q["code"] == "H1-01")["options"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: _h1_options(d)[3].update(exclusive="yes"),
            "questions[4] (H1-01): option 'x' exclusive 'yes' is not true or false",
        ),
        (
            lambda d: [o.update(exclusive=True) for o in _h1_options(d)],
            "questions[4] (H1-01): every option is exclusive; leave at least one that is not",
        ),
        (
            lambda d: d["questions"][1]["options"][0].update(exclusive=True),
            "questions[1] (U1-01): option '0' is exclusive, but only a multiple-choice "
            "question's options can be (one answer is already one)",
        ),
    ],
)
def test_a_wrong_exclusive_key_is_named(change, message):
    from surveys.instrument import InstrumentError

    data = mini()
    change(data)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(data)
    assert message in info.value.errors


def test_none_of_these_cannot_be_ticked_with_others(world, real_cycle):
    spec = real_cycle.instrument.spec
    question = spec.question("U1-08")
    with override("en"):
        value, error = clean_value(question, ["cuti", "tiada"])
    assert value is None
    assert error == (
        "'None' cannot be ticked together with other answers: untick it, or untick the others."
    )
    assert clean_value(question, ["tiada"]) == (["tiada"], None)
    assert clean_value(question, ["jadual", "cuti"]) == (["cuti", "jadual"], None)
    coordinator = respondents(real_cycle, world.a, "coordinator").select_related("cycle").first()
    result = domain_save(
        respondent=coordinator, domain_code="U1", post=post(U1_01="4", U1_08=["cuti", "tiada"])
    )
    assert not result.is_valid
    assert not Answer.objects.filter(respondent=coordinator).exists()  # nothing half-saved


def test_the_form_marks_the_exclusive_option(world, real_cycle, login):
    client = login(world.users["resp_a"])
    coordinator = respondents(real_cycle, world.a, "coordinator").first()
    client.post("/ssqs/pilih/", {"tag_number": coordinator.tag})
    content = client.get("/ssqs/domain/U1/").content.decode()
    assert re.search(r'name="U1-08" id="U1-08-6" value="tiada" data-exclusive="true"', content)
    assert 'value="cuti" data-exclusive' not in content


# --- item 2: a retried save is applied once; an older one never overwrites -----------


def _saved(respondent, code):
    return (
        Answer.objects.filter(respondent=respondent, question=code)
        .values_list("value", flat=True)
        .first()
    )


def test_a_retried_save_is_accepted_once(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    body = post(U1_01="3", _client="b1b1b1b1b1b1", _seq="1000")
    assert "U1-01" in domain_save(respondent=teacher, domain_code="U1", post=body).written
    before = Answer.objects.get(respondent=teacher, question="U1-01").updated_at
    again = domain_save(respondent=teacher, domain_code="U1", post=body)
    assert again.replayed and again.written == [] and again.is_valid
    assert Answer.objects.get(respondent=teacher, question="U1-01").updated_at == before
    assert SaveReceipt.objects.get(respondent=teacher, domain="U1").seq == 1000


def test_an_older_save_arriving_after_a_newer_one_does_not_overwrite_it(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    older = post(U1_01="1", _client="b1b1b1b1b1b1", _seq="1000")
    newer = post(U1_01="4", _client="b1b1b1b1b1b1", _seq="2000")
    domain_save(respondent=teacher, domain_code="U1", post=newer)
    result = domain_save(respondent=teacher, domain_code="U1", post=older)
    assert result.replayed
    assert _saved(teacher, "U1-01") == "4"


def test_saves_from_two_browsers_are_numbered_apart(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    domain_save(
        respondent=teacher, domain_code="U1", post=post(U1_01="4", _client="aaaaaaaa", _seq="9")
    )
    result = domain_save(
        respondent=teacher, domain_code="U1", post=post(U1_03="x", _client="bbbbbbbb", _seq="1")
    )
    assert not result.replayed and _saved(teacher, "U1-03") == "x"


def test_a_save_without_a_number_is_always_written(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    for value in ("1", "2"):
        domain_save(respondent=teacher, domain_code="U1", post=post(U1_01=value))
    assert _saved(teacher, "U1-01") == "2"
    assert not SaveReceipt.objects.exists()


# --- items 1, 3 and 5: background saves, ended sessions, progress ---------------------


@pytest.fixture
def teacher_client(world, real_cycle, login):
    client = login(world.users["resp_a"])
    teacher = respondents(real_cycle, world.a, "teacher").first()
    client.post("/ssqs/pilih/", {"tag_number": teacher.tag})
    return client, teacher


def test_a_background_save_answers_json_with_progress_and_whats_missing(teacher_client):
    client, teacher = teacher_client
    response = client.post(
        "/ssqs/domain/U1/",
        {"U1-01": "3", "U1-02": "2", "_client": "c0ffee00c0ffee", "_seq": "5"},
        headers=AUTOSAVE,
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "saved" and data["complete"] is False
    assert data["shown"]["U1-01"] == "3"
    assert [m["code"] for m in data["missing"]] == ["U1-04", "U1-07"]
    assert data["progress"] == {"answered": 2, "mandatory": 4}
    u1 = next(d for d in data["domains"] if d["code"] == "U1")
    assert (u1["answered"], u1["mandatory"], u1["complete"]) == (2, 4, False)
    assert u1["progress_text"] == "2 daripada 4"
    assert _saved(teacher, "U1-02") == "2"
    # The page shows each domain's progress and marks what is still missing.
    content = client.get("/ssqs/domain/U1/").content.decode()
    assert 'data-domain="U1"' in content and 'data-progress="2/4"' in content
    fieldset = content[content.index('id="q-U1-04"') :]
    assert fieldset.index("data-missing-mark") < fieldset.index("</legend>")
    assert 'badge text-bg-warning fw-normal" data-missing-mark' in fieldset[:600]


def test_an_invalid_background_save_names_the_question_and_saves_nothing(teacher_client):
    client, teacher = teacher_client
    response = client.post("/ssqs/domain/U1/", {"U1-01": "3", "U1-09": "3,5"}, headers=AUTOSAVE)
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == "invalid" and "U1-09" in data["errors"]
    assert not Answer.objects.filter(respondent=teacher).exists()


def test_a_save_after_the_session_ended_sends_to_login_and_back(world, real_cycle, teacher_client):
    client, teacher = teacher_client
    Session.objects.all().delete()  # the session ended on the server
    response = client.post("/ssqs/domain/U1/", {"U1-01": "3"}, headers=AUTOSAVE)
    assert response.status_code == 401
    assert response.json()["redirect"] == "/login/?next=%2Fssqs%2Fdomain%2FU1%2F"
    assert response["HX-Redirect"] == "/login/?next=%2Fssqs%2Fdomain%2FU1%2F"
    assert "<html" not in response.content.decode()
    htmx = client.post("/ssqs/domain/U1/", {"U1-01": "3"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx["HX-Redirect"].startswith("/login/?next=")
    assert not Answer.objects.filter(respondent=teacher).exists()
    # Logging in again, then Pilih, comes back to the same domain.
    response = client.post(
        "/login/", {"username": "BBA0001R", "password": PASSWORD, "next": "/ssqs/domain/U1/"}
    )
    assert response.url == "/ssqs/domain/U1/"
    response = client.get("/ssqs/domain/U1/")
    assert response.url == "/ssqs/pilih/?next=%2Fssqs%2Fdomain%2FU1%2F"
    page = client.get(response.url).content.decode()
    assert '<input type="hidden" name="next" value="/ssqs/domain/U1/">' in page
    response = client.post("/ssqs/pilih/", {"tag_number": teacher.tag, "next": "/ssqs/domain/U1/"})
    assert response.url == "/ssqs/domain/U1/"


def test_a_background_save_without_a_chosen_respondent_goes_through_pilih(teacher_client):
    client, teacher = teacher_client
    client.post("/ssqs/tukar/")
    response = client.post("/ssqs/domain/U2/", {"U2-01": "3"}, headers=AUTOSAVE)
    assert response.status_code == 401
    assert response.json()["redirect"] == "/ssqs/pilih/?next=%2Fssqs%2Fdomain%2FU2%2F"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/ssqs/domain/", "//evil.example/x", "/ssqs/responden/"]
)
def test_pilih_goes_only_to_a_respondent_page_after(world, real_cycle, login, next_url):
    client = login(world.users["resp_a"])
    teacher = respondents(real_cycle, world.a, "teacher").first()
    response = client.post("/ssqs/pilih/", {"tag_number": teacher.tag, "next": next_url})
    assert response.url == "/ssqs/domain/"


def test_choosing_a_tag_and_saving_count_as_answering_now(world, real_cycle, teacher_client):
    client, teacher = teacher_client
    assert respondents_active(cycle=real_cycle, school=world.a) == 1
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert respondents_active(cycle=real_cycle, school=world.a, now=later) == 0
    client.post("/ssqs/domain/U1/", {"U1-01": "3"}, headers=AUTOSAVE)
    teacher.refresh_from_db()
    assert teacher.last_active_at is not None


# --- item 4: the respondent password while respondents answer ------------------------

NEW = {"password1": "Responden-Baharu-26", "password2": "Responden-Baharu-26"}


def test_the_roster_says_how_many_are_answering_before_the_password_changes(
    world, real_cycle, login
):
    active = respondents(real_cycle, world.a)[:3]
    Respondent.objects.filter(pk__in=[r.pk for r in active]).update(last_active_at=timezone.now())
    client = login(world.users["coord_a"])
    content = client.get("/ssqs/responden/").content.decode()
    assert 'data-active-respondents="3"' in content
    assert "3 responden sedang menjawab" in content
    assert 'name="confirm_logout"' in content


def test_the_password_is_not_changed_while_respondents_answer_unless_chosen(
    world, real_cycle, login
):
    teacher = respondents(real_cycle, world.a, "teacher").first()
    Respondent.objects.filter(pk=teacher.pk).update(last_active_at=timezone.now())
    client = login(world.users["coord_a"])
    response = client.post("/ssqs/responden/kata-laluan/", NEW, follow=True)
    world.users["resp_a"].refresh_from_db()
    assert world.users["resp_a"].check_password(PASSWORD)  # unchanged
    assert "1 responden sedang menjawab" in response.content.decode()
    client.post("/ssqs/responden/kata-laluan/", {**NEW, "confirm_logout": "on"})
    world.users["resp_a"].refresh_from_db()
    assert world.users["resp_a"].check_password(NEW["password1"])


def test_with_nobody_answering_the_password_changes_at_once(world, real_cycle, login):
    client = login(world.users["coord_a"])
    assert "data-active-respondents" not in client.get("/ssqs/responden/").content.decode()
    client.post("/ssqs/responden/kata-laluan/", NEW)
    world.users["resp_a"].refresh_from_db()
    assert world.users["resp_a"].check_password(NEW["password1"])


# --- item 5 on the coordinator's profile ---------------------------------------------


def test_the_profile_notice_sits_by_the_form_with_links_to_what_is_missing(
    world, real_cycle, login
):
    client = login(world.users["coord_a"])
    response = client.post("/ssqs/profil/", {"L1-01": "40", "L1-02": "1"})
    assert response.url == "/ssqs/profil/?saved=1"
    content = client.get(response.url).content.decode()
    notice = re.search(r"<div[^>]*data-save-notice[^>]*>(.*?)</div>\s*</div>", content, re.S)
    assert notice and 'data-focus="true"' in notice.group(0)
    links = re.findall(r'<a href="#q-([\w-]+)" data-goto-question', content)
    assert links == ["L1-03", "L1-04", "L1-06"]
    assert 'data-progress="2/5"' in content and "2 daripada 5" in content


def test_the_domain_json_is_valid_json_for_every_domain(world, real_cycle, teacher_client):
    client, _teacher = teacher_client
    for code in ("U1", "U2", "H2", "A1"):
        response = client.post(f"/ssqs/domain/{code}/", {}, headers=AUTOSAVE)
        assert response.status_code == 200
        assert json.loads(response.content)["status"] == "saved"
