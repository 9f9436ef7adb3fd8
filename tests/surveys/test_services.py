import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.review.services import subject_reopen
from surveys.answering import domain_save, profile_save
from surveys.models import Answer, Cycle, ProfileAnswer, Rating, Respondent
from surveys.rating import RATING_FIELDS, rating_recompute
from surveys.rosters import cycle_open, respondent_add, respondent_remove
from surveys.selectors import window_state
from tests.surveys.conftest import complete, post, respondents


def test_open_cycle_gives_every_school_its_roster_at_once(mini_cycle, world):
    assert respondents(mini_cycle, world.a).count() == 62  # 1 + 1 + 30 + 30
    assert respondents(mini_cycle, world.c).count() == 14  # SKM: 1 + 1 + 6 + 6
    assert respondents(mini_cycle, world.c, "teacher").count() == 6
    tags = list(respondents(mini_cycle, world.a).values_list("tag", flat=True))
    assert len(set(tags)) == 62


def test_open_cycle_again_changes_the_window_and_keeps_the_tags(mini_cycle, world):
    before = set(respondents(mini_cycle, world.a).values_list("tag", flat=True))
    cycle_open(year=2026, opens_on=datetime.date(2026, 8, 1), closes_on=datetime.date(2026, 8, 31))
    cycle = Cycle.objects.get(year=2026)
    assert (cycle.opens_on, cycle.closes_on) == (
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 31),
    )
    assert set(respondents(cycle, world.a).values_list("tag", flat=True)) == before


def test_open_cycle_command_loads_the_years_instrument(world, capsys):
    call_command("open_cycle", "2026", "--from", "2026-08-01", "--to", "2026-08-31")
    assert "124 respondents" not in capsys.readouterr().out  # 62 + 62 + 14 = 138
    assert Respondent.objects.count() == 138
    with pytest.raises(CommandError, match="No instrument for 2031"):
        call_command("open_cycle", "2031")


def test_load_instrument_command_names_every_problem(world, tmp_path, capsys):
    bad = tmp_path / "ssqs-2027.yaml"
    bad.write_text("year: 2027\nindicators: []\ndomains: []\nquestions: []\n")
    with pytest.raises(CommandError, match="problems"):
        call_command("load_instrument", bad)
    err = capsys.readouterr().err
    assert "indicators: the weights sum to 0, not 100" in err
    assert "domains: there are none" in err


def test_an_invalid_value_saves_nothing(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    result = domain_save(
        respondent=teacher, domain_code="U1", post=post(U1_01="9", U1_02="ya", U1_03="x")
    )
    assert not result.is_valid
    assert result.cleaned.errors == {"U1-01": "'9' is not one of this question's options"}
    assert not Answer.objects.filter(respondent=teacher).exists()


def test_a_question_code_not_in_the_domain_saves_nothing(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    result = domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="3", H1_01="a"))
    assert result.cleaned.unknown == ["H1-01"] and not result.is_valid
    assert not Answer.objects.filter(respondent=teacher).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("-1", "-1 is below the smallest allowed, 0"),
        ("101", "101 is above the largest allowed, 100"),
        ("1e999", "above the largest"),
    ],
)
def test_a_number_out_of_range_or_not_a_number_is_named(mini_cycle, world, value, message):
    coordinator = respondents(mini_cycle, world.a, "coordinator").first()
    result = domain_save(respondent=coordinator, domain_code="A1", post=post(A1_01=value))
    assert message in result.cleaned.errors["A1-01"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("10", "10"), ("100", "100"), ("20.0", "20"), ("2.50", "2.50"), ("1e1", "10"), ("0", "0")],
)
def test_a_number_is_stored_as_a_person_writes_it_never_in_exponent_form(
    mini_cycle, world, typed, stored
):
    coordinator = respondents(mini_cycle, world.a, "coordinator").first()
    result = domain_save(respondent=coordinator, domain_code="A1", post=post(A1_01=typed))
    assert result.is_valid
    assert Answer.objects.get(respondent=coordinator, question="A1-01").value == stored


def test_a_missing_mandatory_answer_keeps_the_others_and_the_domain_red(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    result = domain_save(respondent=teacher, domain_code="U1", post=post(U1_02="ya"))
    assert result.is_valid and not result.domain_complete
    assert dict(Answer.objects.filter(respondent=teacher).values_list("question", "value")) == {
        "U1-02": "ya"
    }
    result = domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="3", U1_02="ya"))
    teacher.refresh_from_db()
    assert result.domain_complete and teacher.completed_domains == ["U1"]
    assert teacher.completed_at is not None  # U1 is a teacher's only domain here


def test_two_tabs_saving_the_same_domain_both_land(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    shown = '{"U1-01": null, "U1-02": null, "U1-03": null}'
    tab1 = post(U1_01="4", _initial=shown)
    tab2 = post(U1_02="ya", U1_03="cadangan", _initial=shown)
    domain_save(respondent=teacher, domain_code="U1", post=tab1)
    domain_save(respondent=teacher, domain_code="U1", post=tab2)
    assert dict(Answer.objects.filter(respondent=teacher).values_list("question", "value")) == {
        "U1-01": "4",
        "U1-02": "ya",
        "U1-03": "cadangan",
    }


def test_clearing_an_answer_shown_in_the_form_deletes_it(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="4", U1_03="x"))
    domain_save(
        respondent=teacher,
        domain_code="U1",
        post=post(U1_01="4", U1_03="", _initial='{"U1-01": "4", "U1-03": "x"}'),
    )
    assert list(Answer.objects.filter(respondent=teacher).values_list("question", flat=True)) == [
        "U1-01"
    ]


def test_a_save_after_the_window_closed_is_refused_with_the_reason(mini_cycle, world):
    today = timezone.localdate()
    Cycle.objects.filter(pk=mini_cycle.pk).update(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )
    teacher = respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school").first()
    with pytest.raises(PermissionDenied, match="closed on"):
        domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="4"))
    assert not Answer.objects.exists()
    subject_reopen(
        programme="ssqs",
        year=teacher.cycle.year,
        school=world.a,
        until=today,
        reason="banjir",
        by=world.users["officer_d1"],
    )
    assert window_state(cycle=teacher.cycle, school=world.a).reopened
    domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="4"))
    assert Answer.objects.count() == 1
    other = respondents(mini_cycle, world.b, "teacher").select_related("cycle").first()
    assert not window_state(cycle=other.cycle, school=world.b).is_open


def test_a_window_cannot_be_reopened_into_the_past(mini_cycle, world):
    with pytest.raises(ValidationError):
        subject_reopen(
            programme="ssqs",
            year=mini_cycle.year,
            school=world.a,
            by=world.users["officer_d1"],
            reason="",
            until=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_only_a_small_school_adds_teachers_and_pupils(mini_cycle, world):
    extra = respondent_add(cycle=mini_cycle, school=world.c, category="teacher")
    assert (extra.number, extra.is_extra) == (7, True)
    with pytest.raises(ValidationError):
        respondent_add(cycle=mini_cycle, school=world.a, category="teacher")
    with pytest.raises(ValidationError):
        respondent_add(cycle=mini_cycle, school=world.c, category="administrator")
    respondent_remove(respondent=extra)
    required = respondents(mini_cycle, world.c, "teacher").first()
    with pytest.raises(ValidationError):
        respondent_remove(respondent=required)


def test_profile_save_keeps_the_school_facts(mini_cycle, world):
    result = profile_save(cycle=mini_cycle, school=world.a, domain_code="L1", post=post(L1_01="35"))
    assert result.is_valid and result.domain_complete
    assert ProfileAnswer.objects.get(school=world.a).value == "35"
    with pytest.raises(ValidationError):
        profile_save(cycle=mini_cycle, school=world.a, domain_code="U1", post=post())


def test_saving_recomputes_the_rating_and_final_needs_everyone(
    mini_cycle, world, django_capture_on_commit_callbacks
):
    small = world.c  # 14 respondents
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for respondent in respondents(mini_cycle, small).select_related("cycle", "school"):
            complete(respondent)
    assert callbacks  # the recompute is enqueued on commit, not run inside the save
    rating = Rating.objects.get(cycle=mini_cycle, school=small)  # written by the (eager) task
    assert (rating.score, rating.stars, rating.status) == (100, 5, "final")
    assert (rating.respondents_finished, rating.respondents_required) == (14, 14)
    extra = respondent_add(cycle=mini_cycle, school=small, category="pupil")
    rating = rating_recompute(cycle_id=mini_cycle.pk, school_id=small.pk)
    assert rating.status == "provisional" and rating.respondents_required == 15
    with django_capture_on_commit_callbacks(execute=True):
        complete(extra)
    assert Rating.objects.get(cycle=mini_cycle, school=small).status == "final"


def test_recompute_is_idempotent(mini_cycle, world):
    teacher = respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school").first()
    complete(teacher)
    first = rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    second = rating_recompute(cycle_id=mini_cycle.pk, school_id=world.a.pk)
    fields = [f for f in RATING_FIELDS if f != "computed_at"]
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert Rating.objects.filter(school=world.a).count() == 1
    # only teachers finished: usage is theirs alone (100), the rest 0 -> 0.4 x 100
    assert (second.usage, second.score, second.status) == (100, 40, "provisional")


def test_recompute_ratings_command_for_one_school_and_a_cycle(mini_cycle, world, capsys):
    call_command("recompute_ratings", "--cycle", "2026", "--school", "bba0001")
    assert "1 ratings recomputed" in capsys.readouterr().out
    call_command("recompute_ratings")
    assert "3 ratings recomputed" in capsys.readouterr().out
    assert Rating.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("recompute_ratings", "--school", "ZZZ0000")


def test_saves_in_a_burst_enqueue_one_debounced_recompute(
    mini_cycle, world, settings, django_capture_on_commit_callbacks
):
    from unittest import mock

    from surveys.tasks import recompute_school_rating

    settings.CELERY_TASK_ALWAYS_EAGER = False
    teachers = list(respondents(mini_cycle, world.a, "teacher").select_related("cycle", "school"))
    with mock.patch.object(recompute_school_rating, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            for teacher in teachers[:5]:
                domain_save(respondent=teacher, domain_code="U1", post=post(U1_01="2"))
        apply_async.assert_called_once_with((mini_cycle.pk, world.a.pk), countdown=5)
        with mock.patch("surveys.rating.rating_recompute"):
            recompute_school_rating(mini_cycle.pk, world.a.pk)  # the worker clears the key
        with django_capture_on_commit_callbacks(execute=True):
            domain_save(respondent=teachers[6], domain_code="U1", post=post(U1_01="3"))
        assert apply_async.call_count == 2


def test_a_broker_with_a_private_cache_is_warned_of(settings):
    from ssqs_portal.checks import shared_cache_with_workers

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert [w.id for w in shared_cache_with_workers(None)] == ["ssqs.W001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert shared_cache_with_workers(None) == []


def test_a_school_imported_after_the_cycle_opened_gets_its_roster(mini_cycle, world, tmp_path):
    from tests.schools.test_import import GOOD, csv_text, write

    call_command("import_schools", write(tmp_path, csv_text(GOOD)))
    assert Respondent.objects.filter(cycle=mini_cycle, school__code="BBA5008").count() == 62
