"""The review workflow's acts (core.review.services): recorded, checked, atomic, announced."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core.review import programmes
from core.review.models import ReviewEvent, ReviewSubject
from core.review.programmes import Programme
from core.review.services import (
    Incomplete,
    school_addresses,
    subject_act,
    subject_reopen,
    subject_return,
    subject_submit,
    subject_verify,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def plugged(monkeypatch):
    """A programme as a new one plugs in: two windows, a missing list the test sets."""
    state = {"missing": [], "heard": []}
    monkeypatch.setattr(programmes, "_PROGRAMMES", dict(programmes._PROGRAMMES))
    monkeypatch.setattr(programmes, "_LISTENERS", dict(programmes._LISTENERS))
    programmes.register(
        Programme(
            code="trial",
            name="TRIAL",
            window_dates=lambda year, window: (
                datetime.date(year, 3, 1),
                datetime.date(year, 3, 31),
            ),
            missing=lambda subject: list(state["missing"]),
            page_url=lambda subject: f"/trial/{subject.school.code}/",
            windows=("W1", "W2"),
            window_names={"W1": "first", "W2": "second"},
            figures_when_verified=lambda subject: {"counted": 7},
            today=lambda: TODAY,
        )
    )
    programmes.listen("trial", lambda subject, act: state["heard"].append((subject.pk, act)))
    return state


def act(world, act, who="officer_d1", **kwargs):
    kwargs.setdefault("window", "W1")
    return subject_act(
        programme="trial", year=2026, school=world.a, act=act, by=world.users[who], **kwargs
    )


def test_each_act_is_recorded_with_who_when_why_and_until(world, plugged):
    event = act(world, "returned", comment="  Semak bilangan guru  ")
    subject = ReviewSubject.objects.get()
    assert (subject.programme, subject.year, subject.window, subject.school) == (
        "trial", 2026, "W1", world.a,
    )  # fmt: skip
    assert (subject.state, subject.comment, subject.decided_by) == (
        "returned", "Semak bilangan guru", world.users["officer_d1"],
    )  # fmt: skip
    assert (event.act, event.comment, event.by, event.at) == (
        "returned", "Semak bilangan guru", world.users["officer_d1"], subject.decided_at,
    )  # fmt: skip
    until = TODAY + datetime.timedelta(days=7)
    event = act(world, "reopened", who="officer_s1", until=until, comment="banjir")
    subject.refresh_from_db()
    assert (subject.state, subject.reopened_until, subject.comment) == (
        "reopened", until, "Semak bilangan guru",  # a reopening keeps the return's comment
    )  # fmt: skip
    assert (event.act, event.until, event.comment, event.by) == (
        "reopened", until, "banjir", world.users["officer_s1"],
    )  # fmt: skip
    act(world, "submitted", who="coord_a")
    act(world, "verified", who="national", comment="Lengkap")
    subject.refresh_from_db()
    assert (subject.state, subject.figures, subject.comment) == (
        "verified",
        {"counted": 7},
        "Lengkap",
    )
    assert list(subject.events.values_list("act", flat=True)) == [
        "verified", "submitted", "reopened", "returned",
    ]  # fmt: skip


def test_each_window_is_its_own_subject(world, plugged):
    act(world, "verified")
    act(world, "returned", window="W2", comment="x")
    assert dict(ReviewSubject.objects.values_list("window", "state")) == {
        "W1": "verified", "W2": "returned",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("first", "then", "kwargs", "message"),
    [
        ("verified", "verified", {}, "already verified"),
        ("verified", "reopened", {"until": TODAY}, "return it to the school instead"),
        ("submitted", "submitted", {}, "already been submitted"),
        ("verified", "submitted", {}, "nothing to submit"),
        (None, "returned", {"comment": " "}, "the school reads the comment"),
        (None, "reopened", {"until": TODAY - datetime.timedelta(days=1)}, "today or later"),
        (None, "reopened", {"until": None}, "today or later"),
        (None, "approved", {}, "Choose verify or return"),
        (None, "verified", {"window": "W9"}, "Choose a collection window"),
    ],
)
def test_an_illegal_act_is_refused_with_a_clear_message_and_nothing_written(
    world, plugged, first, then, kwargs, message
):
    if first:
        act(world, first)
    before = list(ReviewSubject.objects.values_list("state", "comment", "reopened_until"))
    events = ReviewEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        act(world, then, **kwargs)
    assert list(ReviewSubject.objects.values_list("state", "comment", "reopened_until")) == before
    assert ReviewEvent.objects.count() == events


def test_verifying_incomplete_data_needs_a_confirmation_naming_what_is_missing(world, plugged):
    plugged["missing"] = ["A was not held.", "B was not held."]
    with pytest.raises(Incomplete) as refused:
        act(world, "verified")
    assert refused.value.missing == ["A was not held.", "B was not held."]
    assert not ReviewSubject.objects.exists() and not ReviewEvent.objects.exists()
    event = act(world, "verified", confirmed=True)
    assert event.missing == ["A was not held.", "B was not held."]  # kept with the act
    assert ReviewSubject.objects.get().state == "verified"


def test_complete_data_is_verified_without_a_confirmation(world, plugged):
    assert act(world, "verified").missing == []


def test_an_act_is_all_or_nothing(world, plugged, monkeypatch):
    act(world, "returned", comment="semak")

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(ReviewEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        act(world, "verified")
    assert ReviewSubject.objects.get().state == "returned"  # the subject's change rolled back


def test_the_change_is_announced_once_it_commits_and_not_when_refused(
    world, plugged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = act(world, "verified")
        assert plugged["heard"] == []  # not before the commit
    assert plugged["heard"] == [(event.subject_id, "verified")]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        act(world, "verified")
    assert len(plugged["heard"]) == 1


def test_a_failing_listener_never_undoes_the_act(
    world, plugged, django_capture_on_commit_callbacks, caplog
):
    def broken(subject, act):
        raise RuntimeError("roll-ups down")

    programmes.listen("trial", broken)
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "verified")
    assert ReviewSubject.objects.get().state == "verified"
    assert "a listener failed" in caplog.text


def test_a_return_is_emailed_to_the_school_with_the_comment(
    world, plugged, django_capture_on_commit_callbacks
):
    world.a.email = "bba0001@moe.example"
    world.a.save(update_fields=["email"])
    coordinator = world.users["coord_a"]
    coordinator.email = "guru.ict@moe.example"
    coordinator.save(update_fields=["email"])
    respondents = world.users["resp_a"]
    respondents.email = "never@moe.example"  # the shared respondent login is not the school
    respondents.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "returned", comment="Bilangan murid tidak sepadan.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bba0001@moe.example", "guru.ict@moe.example"]
    assert "TRIAL 2026, first" in message.subject
    assert "Bilangan murid tidak sepadan." in message.body
    assert "/trial/BBA0001/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "verified")
    assert len(mail.outbox) == 1  # only a return is e-mailed


def test_a_school_with_no_address_is_not_emailed_and_the_return_stands(
    world, plugged, django_capture_on_commit_callbacks
):
    assert school_addresses(world.a) == []
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "returned", comment="semak")
    assert mail.outbox == [] and ReviewSubject.objects.get().state == "returned"


def test_the_named_acts_go_through_the_same_checks(world, plugged):
    by = world.users["officer_d1"]
    common = {"programme": "trial", "year": 2026, "school": world.a, "window": "W2", "by": by}
    subject_submit(**common)
    subject_return(**common, comment="semak")
    subject_reopen(**common, until=TODAY, reason="banjir")
    subject_verify(**common)
    with pytest.raises(ValidationError):
        subject_reopen(**common, until=TODAY)
    assert list(ReviewEvent.objects.order_by("at", "pk").values_list("act", flat=True)) == [
        "submitted", "returned", "reopened", "verified",
    ]  # fmt: skip
