"""Facilities self-declared and checked (Kemudahan): rules, checklist, declaring, checking,
the pages, and the star rating's "facilities checked"."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skills import facility_rules as fr
from skills.models import FacilityChecklist, FacilityDeclaration, FacilityItem
from skills.services import facilities as services

from .facility_helpers import CODES, check, check_form, declaration_form, declare

pytestmark = pytest.mark.usefixtures("english")


# "Every item of the checklist is answered: in place, with how (what is there), or not in
# place."
@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"A": (True, "4 m² x 20"), "B": (False, "")}, []),
        ({"A": (True, "4 m² x 20")}, ["B"]),
        ({"A": (None, ""), "B": (False, "")}, ["A"]),
        ({"A": (True, "  "), "B": (False, "")}, ["A"]),
        ({"A": (False, ""), "B": (False, "tiada")}, []),
    ],
)
def test_every_item_is_answered(answers, expected):
    assert [code for code, _why in fr.declaration_problems(answers, ["A", "B"])] == expected


# "A declaration may be changed until the body has checked it; a checked declaration is
# closed to the centre (the body may amend its findings)."
@pytest.mark.parametrize(
    ("state", "declare", "check"),
    [(None, True, False), (fr.DECLARED, True, True), (fr.CHECKED, False, True)],
)
def test_who_may_act_in_which_state(state, declare, check):
    assert (fr.declare_refusal(state=state) is None) is declare
    assert (fr.check_refusal(state=state) is None) is check


# "On the visit the body confirms or rejects each item declared in place; a rejection says
# why. An item declared not in place is not confirmed."
@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"A": ("confirmed", ""), "B": ("rejected", "rosak")}, []),
        ({"A": ("confirmed", "")}, ["B"]),
        ({"A": ("confirmed", ""), "B": ("rejected", " ")}, ["B"]),
        ({"A": ("maybe", ""), "B": ("confirmed", "")}, ["A"]),
        ({"A": ("confirmed", ""), "B": ("confirmed", ""), "C": (None, "")}, []),
    ],
)
def test_each_item_in_place_has_a_finding(findings, expected):
    declared = {"A": True, "B": True, "C": False}
    assert [code for code, _why in fr.finding_problems(findings, declared)] == expected
    assert fr.finding_of(False, "confirmed") == fr.ABSENT
    assert fr.finding_of(True, "rejected") == fr.REJECTED


def test_the_bundled_checklist_parses():
    checklist = services.checklist_read(services.DEFAULT_FILE.read_bytes())
    assert [i.code for i in checklist.items] == CODES
    assert all(i.text_ms and i.text_en and i.evidence_ms and i.evidence_en
               for i in checklist.items)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"items: [", "not valid YAML at line"),
        (b"- 1\n", "must hold a mapping"),
        (b"\xff\xfe", "not UTF-8"),
        (b"items: []", "'items' must be a list"),
        (b"items:\n - {code: a, text_ms: x, text_en: x}", "'code' must be"),
        (b"items:\n - {code: A, text_ms: x, text_en: x}\n - {code: A, text_ms: y, text_en: y}",
         "used twice"),
        (b"items:\n - {code: A, text_ms: '', text_en: x}", "'text_ms' must be"),
        (b"items:\n - {code: A, text_ms: x, text_en: " + b"x" * 400 + b"}", "'text_en' must be"),
        (b"x" * (fr.MAX_CHECKLIST_BYTES + 1), "larger than"),
    ],
)  # fmt: skip
def test_a_bad_checklist_names_its_problem_and_saves_nothing(db, text, problem):
    with pytest.raises(fr.ChecklistErrors) as raised:
        services.checklist_upload(data=text)
    assert problem in str(raised.value)
    assert not FacilityChecklist.objects.exists()


def test_a_declaration_is_replaced_until_checked_then_closed(skills_world):
    sw = skills_world
    first = declare(sw, absent=("OKU", "KULIAH"))
    assert first.state == fr.DECLARED and first.checklist.version == 1
    again = declare(sw)
    assert again.pk == first.pk
    assert FacilityItem.objects.filter(declaration=first, in_place=False).count() == 1
    assert FacilityItem.objects.filter(declaration=first).count() == len(CODES)
    check(sw, first)
    with pytest.raises(services.FacilitiesRefused) as refused:
        declare(sw)
    assert "can no longer be changed" in str(refused.value)
    first.refresh_from_db()
    assert first.state == fr.CHECKED and first.checked_by == sw.users["cert_officer"]
    found = dict(first.items.values_list("code", "finding"))
    assert found["NISBAH"] == fr.REJECTED and found["OKU"] == fr.ABSENT
    assert found["RUANG"] == fr.CONFIRMED


def test_a_check_needs_a_sensible_visit_day_and_saves_nothing_otherwise(skills_world):
    sw = skills_world
    declaration = declare(sw)
    for day in (sw.today + datetime.timedelta(days=1), sw.today - datetime.timedelta(days=9)):
        with pytest.raises(services.FacilitiesRefused) as refused:
            check(sw, declaration, visited_on=day)
        assert "visit's day" in str(refused.value)
    with pytest.raises(services.FacilitiesRefused) as refused:
        services.facilities_check(declaration=declaration, findings={"RUANG": ("confirmed", "")},
                                  visited_on=sw.today, by=sw.users["cert_officer"])  # fmt: skip
    assert [c for c, _w in refused.value.problems][:2] == ["KULIAH", "PERALATAN"]
    declaration.refresh_from_db()
    assert declaration.state == fr.DECLARED
    assert not FacilityItem.objects.exclude(finding="").exists()


def test_checking_announces_the_years_rating(skills_world, monkeypatch):
    from skills.services import facilities as module

    sw = skills_world
    announced = []
    monkeypatch.setattr(module, "rating_changed", lambda *, year: announced.append(year))
    declaration = declare(sw)
    assert announced == []  # declaring changes no measure
    check(sw, declaration)
    check(sw, declaration, rejected=())  # an amended check, again
    assert announced == [sw.today.year, sw.today.year]


# --- the pages ---
def test_the_centre_declares_on_its_page(skills_world, login, django_assert_max_num_queries):
    sw = skills_world
    client = login(sw.users["centre_admin_a"])
    url = f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/"
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert 'data-form="declare"' in body and body.count("<fieldset") == len(CODES)
    assert "Workshop or laboratory space" in body
    response = client.post(url + "isytihar/", declaration_form())
    assert response.status_code == 302 and response["Location"] == url
    declaration = FacilityDeclaration.objects.get()
    assert declaration.declared_by == sw.users["centre_admin_a"]
    assert declaration.year == sw.today.year


def test_a_declaration_missing_an_answer_is_refused_item_by_item(skills_world, login):
    sw = skills_world
    client = login(sw.users["centre_admin_a"])
    form = declaration_form()
    form.pop("in_place-BOMBA")
    form["how-PPE"] = ""
    form["how-RUANG"] = "x" * 5000
    response = client.post(f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/isytihar/", form)
    assert response.status_code == 400
    assert not FacilityDeclaration.objects.exists()
    body = response.content.decode()
    assert "at most 1000 characters" in body  # the oversize text, named
    form["how-RUANG"] = "Bengkel 90 m² bagi 20 pelatih"
    response = client.post(f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/isytihar/", form)
    body = response.content.decode()
    assert response.status_code == 400 and not FacilityDeclaration.objects.exists()
    assert 'id="err-BOMBA"' in body and "Say whether this is in place." in body
    assert 'id="err-PPE"' in body and "Say what is in place" in body


def test_a_checked_declaration_cannot_be_changed_by_the_centre(skills_world, login):
    sw = skills_world
    check(sw, declare(sw))
    client = login(sw.users["centre_admin_a"])
    url = f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/"
    body = client.get(url).content.decode()
    assert 'data-form="declare"' not in body and 'data-finding="rejected"' in body
    assert "Hanya 6 set bagi 20 pelatih" in body  # the body's reason, shown to the centre
    response = client.post(url + "isytihar/", declaration_form(absent=()))
    assert response.status_code == 400 and "can no longer be changed" in response.content.decode()
    assert FacilityItem.objects.filter(in_place=False).count() == 1


def test_the_body_lists_what_awaits_and_checks_it(skills_world, login,
                                                  django_assert_max_num_queries):  # fmt: skip
    from skills.models import Centre

    sw = skills_world
    waiting = declare(sw)
    for i in range(5):
        centre = Centre.objects.create(code=f"PB-F{i:03d}", name=f"Pusat {i}")
        declare(sw, centre)
    checked = declare(sw, sw.centre_b)
    check(sw, checked)
    client = login(sw.users["cert_officer"])
    with django_assert_max_num_queries(12):
        body = client.get("/kemahiran/kemudahan/").content.decode()
    assert body.count("data-declaration=") == 6 and f'data-declaration="{checked.pk}"' not in body
    body = client.get("/kemahiran/kemudahan/?state=checked").content.decode()
    assert body.count("data-declaration=") == 1 and "9 confirmed" in body
    url = f"/kemahiran/kemudahan/{waiting.pk}/"
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    response = client.post(url, check_form(sw))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == fr.CHECKED and waiting.visited_on == sw.today


def test_a_rejection_without_a_reason_is_refused(skills_world, login):
    sw = skills_world
    declaration = declare(sw)
    form = check_form(sw)
    form["finding_note-NISBAH"] = ""
    form["visited_on"] = "2026-02-30"
    client = login(sw.users["cert_officer"])
    response = client.post(f"/kemahiran/kemudahan/{declaration.pk}/", form)
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    form["visited_on"] = sw.today.isoformat()
    response = client.post(f"/kemahiran/kemudahan/{declaration.pk}/", form)
    assert response.status_code == 400 and "Say why the item is rejected" in (
        response.content.decode()
    )
    declaration.refresh_from_db()
    assert declaration.state == fr.DECLARED


def test_the_checklist_is_public_and_the_body_publishes_a_version(skills_world, client, login):
    sw = skills_world
    body = client.get("/kemahiran/kemudahan/senarai-semak/").content.decode()
    assert body.count("data-item=") == len(CODES)
    assert not FacilityChecklist.objects.exists()  # reading it stores nothing
    officer = login(sw.users["cert_officer"])
    bad = SimpleUploadedFile("k.yaml", b"items: [\n")
    response = officer.post("/kemahiran/kemudahan/senarai-semak/muat-naik/", {"file": bad})
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    good = services.DEFAULT_FILE.read_bytes().replace(b"4 m\xc2\xb2", b"5 m\xc2\xb2")
    response = officer.post("/kemahiran/kemudahan/senarai-semak/muat-naik/",
                            {"file": SimpleUploadedFile("k.yaml", good)})  # fmt: skip
    assert response.status_code == 302
    stored = FacilityChecklist.objects.get()
    assert stored.uploaded_by == sw.users["cert_officer"] and "5 m²" in stored.items[0]["text_en"]
    assert declare(sw).checklist == stored
