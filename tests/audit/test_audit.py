"""The audit trail (issue 14, item 5; interfaces.md "Audit").

The triggers are PostgreSQL's: tests that read what they record are skipped
on SQLite (CI runs them on PostgreSQL). The page, its access rule and the
trigger SQL built from the registry are tested on both.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.audit.context import audit_context, stamp_transaction
from core.audit.models import Entry
from core.audit.registry import TRACKED, tracked_models
from core.audit.triggers import school_sql

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit triggers are PostgreSQL's"
)


def entries(model, **filters):
    return Entry.objects.filter(model=model, **filters).order_by("id")


# --- the registry and the trigger SQL (any database) ---


def test_every_tracked_model_is_installed_and_reaches_its_school():
    """Each line of TRACKED names an installed model and a valid path to its school."""
    found = {spec.model for _model, spec in tracked_models()}
    assert found == {spec.model for spec in TRACKED}
    for model, spec in tracked_models():
        assert school_sql(model, spec.school)  # raises on a wrong path


@pytest.mark.parametrize(
    ("model", "path", "sql"),
    [
        ("schools.School", "pk", '_row."id"'),
        ("surveys.Respondent", "school", '_row."school_id"'),
        (
            "surveys.Answer",
            "respondent__school",
            '(SELECT t1."school_id" FROM "surveys_respondent" t1  '
            'WHERE t1."id" = _row."respondent_id")',
        ),
        (
            "pibk.Pupil",
            "family__school_year__school",
            '(SELECT t2."school_id" FROM "pibk_family" t1 JOIN "pibk_schoolyear" t2 '
            'ON t2."id" = t1."school_year_id" WHERE t1."id" = _row."family_id")',
        ),
        ("surveys.Cycle", None, "NULL"),
    ],
)
def test_the_school_of_a_row_follows_its_lookup_path(model, path, sql):
    from django.apps import apps

    assert school_sql(apps.get_model(model), path) == sql


# --- what the triggers record (PostgreSQL) ---


@postgres_only
def test_a_respondents_domain_save_is_recorded_with_actor_address_and_path(
    world, real_cycle, login
):
    from surveys.models import Answer, Respondent
    from tests.surveys.conftest import best_post

    client = login(world.users["resp_a"])
    teacher = Respondent.objects.filter(cycle=real_cycle, school=world.a, category="teacher")[0]
    client.post("/ssqs/pilih/", {"tag_number": teacher.tag})
    spec = real_cycle.instrument.spec
    response = client.post("/ssqs/domain/U1/", best_post(spec, "U1", "teacher"))
    assert response.status_code == 302
    # First answers are the rows themselves, not recorded (bench/audit.py).
    assert not entries("surveys.answer", school_id=world.a.pk).exists()
    # The respondent's progress is derived from the answers: not recorded again.
    assert not entries("surveys.respondent", action="update", object_id=str(teacher.pk)).exists()
    # The same answers saved again unchanged record nothing more.
    before = Entry.objects.count()
    client.post("/ssqs/domain/U1/", best_post(spec, "U1", "teacher"))
    assert Entry.objects.count() == before
    # One answer changed through the page: one entry for the respondent's save,
    # keyed by question, before and after, with actor, address and path.
    question = next(q for q in spec.questions_in("U1", "teacher") if q.type == "single")
    best = max(question.options, key=lambda o: o.points).value
    other = min(question.options, key=lambda o: o.points).value
    post = best_post(spec, "U1", "teacher")
    post.setlist(question.code, [other])
    response = client.post("/ssqs/domain/U1/", post, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    changed = entries("surveys.answer", action="update").get()
    assert changed.after == {question.code: other} and changed.before == {question.code: best}
    assert changed.school_id == world.a.pk and changed.object_id == str(teacher.pk)
    assert changed.record == {"respondent": teacher.pk}
    assert changed.context["actor"] == world.users["resp_a"].username
    assert changed.context["user_id"] == world.users["resp_a"].pk
    assert changed.context["ip"] == "10.1.2.3"
    assert changed.context["path"] == "/ssqs/domain/U1/"
    # The officer sees that the respondent changed an answer, never its values
    # (domain.md: no figure shown to an officer may reveal one person's answers).
    page = login(world.users["officer_d1"]).get(f"/sejarah/sekolah/{world.a.code}/?part=ssqs")
    html = page.content.decode()
    assert f'data-entry="{changed.pk}"' in html
    assert "not shown" in html or "tidak ditunjukkan" in html
    assert f"<del>{best}</del>" not in html and f"<ins>{other}</ins>" not in html
    # Removing an answer is recorded too.
    with audit_context(actor="test"):
        Answer.objects.filter(respondent=teacher, question=question.code).delete()
    removed = entries("surveys.answer", action="delete").get()
    assert removed.before == {question.code: other} and removed.context["actor"] == "test"


@postgres_only
def test_an_officers_reopening_is_recorded_with_the_officer(world, real_cycle, login):
    client = login(world.users["officer_d1"])
    response = client.post(
        f"/ssqs/sekolah/{world.a.code}/buka-semula/", {"until": "2099-01-01", "reason": "banjir"}
    )
    assert response.status_code == 302
    reopening = entries("review.reviewevent").get()
    assert reopening.school_id == world.a.pk
    assert reopening.context["actor"] == world.users["officer_d1"].username
    assert reopening.after["until"] == "2099-01-01" and reopening.after["act"] == "reopened"
    subject = entries("review.reviewsubject").order_by("-id").first()
    assert subject.school_id == world.a.pk and subject.after["state"] == "reopened"


@postgres_only
def test_a_queryset_update_is_recorded_with_before_and_after(world):
    from schools.models import School

    with audit_context(actor="test:update"):
        School.objects.filter(pk__in=[world.a.pk, world.b.pk]).update(phone="03-1234")
    changed = entries("schools.school", action="update")
    assert {e.school_id for e in changed} == {world.a.pk, world.b.pk}
    entry = changed.get(school_id=world.a.pk)
    assert entry.before == {"phone": world.a.phone} and entry.after == {"phone": "03-1234"}
    assert entry.context["actor"] == "test:update"
    assert entry.record == {"code": world.a.code}
    # Only the auto_now stamp changing is no act.
    School.objects.filter(pk=world.a.pk).update(updated_at="2020-01-01T00:00:00Z")
    assert entries("schools.school", action="update").count() == 2


@postgres_only
def test_copy_paths_are_recorded_and_derived_figures_are_not(world):
    from pibk.models import SchoolYear
    from pibk.rollups import summaries_rebuild
    from pibk.services import school_year_ensure
    from schools.models import School
    from ssqs_portal.db import copy_update

    with audit_context(actor="command:test"):
        copy_update(School, ["id"], ["phone"], [(world.a.pk, "09-999")])
    entry = entries("schools.school", action="update").get()
    assert entry.after == {"phone": "09-999"} and entry.context["actor"] == "command:test"
    # A COPY straight into a tracked table fires the triggers too; a COPY bypasses
    # Django's cursor, so the context is stamped on the transaction first.
    with audit_context(actor="command:copy"), transaction.atomic():
        stamp_transaction()
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY pibk_pibkyear (year, kpi1_target, kpi2_target, kpi2_goal, kpi2_goal_year, "
                "updated_at) FROM STDIN"
            ) as copy,
        ):
            copy.write_row((2031, 50, 20, 30, 2035, "2026-01-01T00:00:00Z"))
    year = entries("pibk.pibkyear", action="insert").get()
    assert year.record == {"year": 2031} and year.after["kpi2_goal_year"] == 2035
    assert year.context["actor"] == "command:copy" and year.school_id is None
    # PIBK's nightly COPY of recomputed figures changes only ignored columns: nothing recorded.
    school_year_ensure(school=world.a, year=2026)
    SchoolYear.objects.update(average=None)
    mark = Entry.objects.latest("id").pk
    summaries_rebuild(year=2026)
    assert not Entry.objects.filter(pk__gt=mark, model="pibk.schoolyear").exists()


@postgres_only
def test_a_management_command_is_the_actor_of_its_changes(world, tmp_path):
    from pathlib import Path

    csv = Path(__file__).resolve().parents[2] / "schools" / "fixtures" / "demo_schools.csv"
    mark = Entry.objects.latest("id").pk  # the world's own set-up, outside any context
    call_command("import_schools", csv, initial_password="Tukar-Segera-2026", verbosity=0)
    created = entries("schools.school", action="insert", pk__gt=mark)
    assert created.exists()
    assert {e.context["actor"] for e in created} == {"command:import_schools"}
    accounts = entries("accounts.user", action="insert", pk__gt=mark)
    assert {e.context["actor"] for e in accounts} == {"command:import_schools"}


@postgres_only
def test_a_celery_task_is_named_in_the_context(world):
    from core.audit import context

    class Task:
        name = "pibk.tasks.rollups"

    context._task_prerun(task=Task())
    try:
        from schools.models import School

        School.objects.filter(pk=world.a.pk).update(phone="07-1")
    finally:
        context._task_postrun()
    entry = entries("schools.school", action="update").get()
    assert entry.context["actor"] == "task:pibk.tasks.rollups"


@postgres_only
def test_an_admin_edit_is_recorded_with_the_admin(world, login):
    client = login(world.users["admin"])
    url = f"/admin/schools/school/{world.a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data["name"] = "SK ALFA BARU"
    response = client.post(url, data, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302, response.content[:2000]
    entry = entries("schools.school", action="update").get()
    assert entry.before["name"] == "SK ALFA" and entry.after["name"] == "SK ALFA BARU"
    assert entry.context["actor"] == "admin" and entry.context["ip"] == "10.9.9.9"
    assert entry.context["path"] == url


@postgres_only
def test_a_password_change_is_recorded_without_the_hash(world, login):
    from tests.factories import PASSWORD

    user = world.users["coord_a"]
    old_hash = user.password
    client = login(user)
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kuat-Sekali-2026!x",
            "new_password2": "Kuat-Sekali-2026!x",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash
    entry = entries("accounts.user", action="update", object_id=str(user.pk)).last()
    assert entry.after["password"] == "changed"
    assert entry.context["actor"] == user.username and entry.context["path"] == "/password/"
    stored = json.dumps([[e.before, e.after, e.context] for e in Entry.objects.all()])
    assert user.password not in stored and old_hash not in stored
    assert "md5$" not in stored  # the test hasher's prefix: no hash of any account


@postgres_only
def test_a_login_records_no_change(world, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=world.users["officer_d1"].pk)
    user.set_password("Pass-word-2026!")
    user.save()
    mark = Entry.objects.latest("id").pk
    response = client.post("/login/", {"username": user.username, "password": "Pass-word-2026!"})
    assert response.status_code == 302
    assert not Entry.objects.filter(pk__gt=mark).exists()  # last_login is noise


# --- the history page (any database; entries written directly where triggers are absent) ---


def make_entries(school, count, actor="officer.x"):
    from django.utils import timezone

    Entry.objects.bulk_create(
        Entry(
            at=timezone.now(),
            action="update",
            model="schools.school",
            object_id=str(school.pk),
            school_id=school.pk,
            record={"code": school.code},
            before={"phone": f"0{n}"},
            after={"phone": f"1{n}"},
            context={"actor": actor, "ip": "10.0.0.1", "method": "POST", "path": "/x/"},
        )
        for n in range(count)
    )


def test_the_history_page_lists_entries_with_their_data_attributes(world, login):
    Entry.objects.all().delete()  # what the world's set-up recorded (PostgreSQL)
    make_entries(world.a, 3)
    Entry.objects.create(
        at="2026-01-01T00:00:00Z",
        action="update",
        model="accounts.user",
        object_id=str(world.users["coord_a"].pk),
        school_id=world.a.pk,
        record={"username": world.users["coord_a"].username},
        before={},
        after={"password": "changed"},
        context={"actor": "BBA0001", "ip": "10.0.0.2"},
    )
    client = login(world.users["officer_d1"])
    response = client.get(f"/sejarah/sekolah/{world.a.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr data-entry="\d+" data-actor="([^"]*)" data-action="(\w+)" '
                      r'data-at="([^"]+)"', html)  # fmt: skip
    assert [r[0] for r in rows] == ["BBA0001"] + ["officer.x"] * 3  # newest entry first
    assert {r[1] for r in rows} == {"update"}
    assert "03 → 13" not in html  # before/after are marked up, not glued
    assert "<del>02</del> → <ins>12</ins>" in html
    assert "diubah" in html  # the password: "changed", never its hash
    # Newest first.
    ids = [int(i) for i in re.findall(r'data-entry="(\d+)"', html)]
    assert ids == sorted(ids, reverse=True)
    # The SSQS filter leaves the school's own record out.
    assert (
        'data-entry="'
        not in client.get(f"/sejarah/sekolah/{world.a.code}/?part=ssqs").content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coord_a", 403), ("resp_a", 403), ("officer_d2", 404), ("officer_s2", 404),
     ("officer_d1", 200), ("national", 200), ("admin", 200)],
)  # fmt: skip
def test_the_history_page_is_refused_outside_scope(world, login, persona, status):
    make_entries(world.a, 1)
    response = login(world.users[persona]).get(f"/sejarah/sekolah/{world.a.code}/")
    assert response.status_code == status


def test_the_history_page_queries_do_not_grow_with_entries(world, login):
    client = login(world.users["officer_d1"])
    url = f"/sejarah/sekolah/{world.a.code}/"
    # What the world's set-up recorded names other records (its grants' users):
    # those are read in one query per page, which only the first page would show.
    Entry.objects.all().delete()
    make_entries(world.a, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_entries(world.a, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert (
        len(many) == len(few) <= 9
    )  # session, user, grants, school, count, page, nav, 2 savepoints
    assert response.content.decode().count("data-entry=") == 50  # one page


def test_the_record_pages_link_to_the_history_for_officers_only(world, real_cycle, login):
    from pibk.services import school_year_ensure, today

    school_year_ensure(school=world.a, year=today().year)
    pages = [f"/sekolah/{world.a.code}/", f"/ssqs/sekolah/{world.a.code}/",
             f"/pibk/sekolah/{world.a.code}/"]  # fmt: skip
    link = f'data-history-link="{world.a.code}"'
    officer = login(world.users["officer_d1"])
    for page in pages:
        assert link in officer.get(page).content.decode(), page
    coordinator = login(world.users["coord_a"])
    for page in pages:
        response = coordinator.get(page)
        assert response.status_code == 200 and link not in response.content.decode(), page


def test_an_officer_for_one_programme_reads_that_programmes_history_only(world, login):
    Entry.objects.all().delete()
    make_entries(world.a, 2)  # the school's own record
    Entry.objects.create(
        at="2026-01-01T00:00:00Z", action="update", model="pibk.activity", object_id="1",
        school_id=world.a.pk, record={}, before={"held_on": None},
        after={"held_on": "2026-03-02"}, context={"actor": "BBA0001"},
    )  # fmt: skip
    html = login(world.users["pibk_officer_d1"]).get(f"/sejarah/sekolah/{world.a.code}/")
    html = html.content.decode()
    assert html.count("data-entry=") == 1 and 'data-actor="BBA0001"' in html
    assert "?part=ssqs" not in html and "?part=school" not in html
    # Asking for another part shows no more than the programme's own.
    html = login(world.users["pibk_officer_d1"]).get(
        f"/sejarah/sekolah/{world.a.code}/?part=school"
    )
    assert html.content.decode().count("data-entry=") == 1
    # An officer for every programme reads the whole history.
    html = login(world.users["officer_d1"]).get(f"/sejarah/sekolah/{world.a.code}/")
    assert html.content.decode().count("data-entry=") == 3
