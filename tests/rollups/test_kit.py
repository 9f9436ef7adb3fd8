"""The roll-up kit (core.rollups): one table for every programme, its store, selectors, debounce."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from core.rollups.debounce import Debounce
from core.rollups.models import RollUp
from core.rollups.selectors import child_rollups, rollup_for, rollup_trend
from core.rollups.store import mean, rollups_store
from monitoring.models import SsqsRollUp
from pibk.models import PibkRollUp
from ssqs_portal.hierarchy import Node

NOW = timezone.now()


def pibk(level, code, parent="", **figures):
    return PibkRollUp(
        level=level, code=code, name=code, parent_code=parent, computed_at=NOW, **figures
    )


@pytest.mark.parametrize(
    ("figures", "name", "read"),
    [
        ({"kpi1": Decimal("61.25")}, "kpi1", Decimal("61.25")),
        ({"kpi1": Decimal("15.63")}, "kpi1", Decimal("15.63")),  # exact, not a float
        ({}, "kpi1", None),  # a Decimal figure not stored: none
        ({}, "reaching", 0),  # a count not stored: zero
        ({}, "verified", {}),
        ({"families": 3 * 2**31}, "families", 3 * 2**31),  # no column to overflow
    ],
)
def test_a_figure_reads_back_as_it_was_written(db, figures, name, read):
    rollups_store(PibkRollUp, [pibk("national", "KPM", **figures)], period=2026)
    assert getattr(PibkRollUp.objects.get(period=2026, level="national"), name) == read


def test_each_programme_sees_its_own_rows_in_the_one_table(db):
    rollups_store(PibkRollUp, [pibk("national", "KPM", reaching=4)], period=2026)
    ssqs = SsqsRollUp(level="national", code="KPM", name="KPM", computed_at=NOW, rated=9)
    rollups_store(SsqsRollUp, [ssqs], period=2026)
    assert RollUp.objects.count() == 2
    assert sorted(RollUp.objects.values_list("programme", flat=True)) == ["pibk", "ssqs"]
    assert PibkRollUp.objects.get().reaching == 4 and SsqsRollUp.objects.get().rated == 9
    # a programme's rebuild never deletes another programme's rows
    rollups_store(PibkRollUp, [], period=2026)
    assert list(RollUp.objects.values_list("programme", flat=True)) == ["ssqs"]


def test_the_store_upserts_its_period_and_drops_nodes_gone(db):
    rollups_store(
        PibkRollUp,
        [pibk("national", "KPM"), pibk("state", "SGR", "KPM"), pibk("state", "PRK", "KPM")],
        period=2026,
    )
    rollups_store(PibkRollUp, [pibk("national", "KPM")], period=2025)
    rollups_store(
        PibkRollUp, [pibk("national", "KPM", reaching=7), pibk("state", "SGR", "KPM")], period=2026
    )
    assert sorted(PibkRollUp.objects.filter(period=2026).values_list("code", flat=True)) == [
        "KPM",
        "SGR",
    ]
    assert PibkRollUp.objects.get(period=2026, level="national").reaching == 7
    assert PibkRollUp.objects.filter(period=2025).count() == 1  # other periods untouched


def test_the_selectors_read_a_node_its_children_and_its_trend(db):
    rollups_store(
        PibkRollUp,
        [
            pibk("national", "KPM"),
            pibk("state", "SGR", "KPM"),
            pibk("state", "PRK", "KPM"),
            pibk("district", "SGR-KLANG", "SGR"),
            pibk("district", "PRK-IPOH", "PRK"),
        ],
        period=2026,
    )
    rollups_store(PibkRollUp, [pibk("national", "KPM")], period=2025)
    nation = Node("national", "KPM", "Malaysia", [])
    selangor = Node("state", "SGR", "Selangor", [])
    assert rollup_for(PibkRollUp, 2026, nation).code == "KPM"
    assert rollup_for(SsqsRollUp, 2026, nation) is None
    assert [r.code for r in child_rollups(PibkRollUp, 2026, nation)] == ["PRK", "SGR"]
    assert [r.code for r in child_rollups(PibkRollUp, 2026, selangor)] == ["SGR-KLANG"]
    assert child_rollups(PibkRollUp, 2026, Node("district", "SGR-KLANG", "Klang", [])) == []
    assert [r.year for r in rollup_trend(PibkRollUp, nation)] == [2025, 2026]


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (Decimal("159.09"), 2, Decimal("79.55")),  # 79.545: halves up, not to even
        (7, 3, Decimal("2.33")),
        (None, 0, None),
        (10, 0, None),
    ],
)
def test_the_mean_is_exact_to_two_places_halves_up(total, count, expected):
    assert mean(total, count) == expected


class FakeTask:
    def __init__(self):
        self.sent, self.ran = [], []

    def apply_async(self, args, countdown):
        self.sent.append((args, countdown))

    def apply(self, args):
        self.ran.append(args)


SOON = Debounce("test:soon", 30, "Test work of %s", "the periodic task catches up")


@pytest.fixture
def broker(settings):
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(SOON.key(7))
    yield
    cache.delete(SOON.key(7))


@pytest.mark.django_db(transaction=True)
def test_an_announcement_enqueues_once_after_commit_until_the_task_clears_the_key(broker):
    task = FakeTask()
    with transaction.atomic():
        SOON.announce(task, 7)
        SOON.announce(task, 7)  # the same transaction: one callback
        assert task.sent == []  # nothing before the commit
    assert task.sent == [((7,), 30)]
    with transaction.atomic():
        SOON.announce(task, 7)  # a later save while a run is waiting rides along
    assert task.sent == [((7,), 30)]
    SOON.clear(7)  # the task runs: a change from now on schedules another run
    with transaction.atomic():
        SOON.announce(task, 7)
    assert task.sent == [((7,), 30), ((7,), 30)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_announces_nothing(broker):
    task = FakeTask()
    with pytest.raises(RuntimeError), transaction.atomic():
        SOON.announce(task, 7)
        raise RuntimeError
    with transaction.atomic():
        pass
    assert task.sent == []


@pytest.mark.django_db(transaction=True)
def test_a_cache_or_broker_down_is_logged_never_raised(broker, caplog):
    from unittest import mock

    from django.core.cache import cache

    down = mock.Mock(side_effect=ConnectionError("Connection refused."))
    task = FakeTask()
    with mock.patch.object(task, "apply_async", down), transaction.atomic():
        SOON.announce(task, 7)
    assert "Test work of 7 not enqueued; the periodic task catches up" in caplog.text
    with mock.patch.object(cache, "add", down), transaction.atomic():
        SOON.announce(task, 7)
    with mock.patch.object(cache, "delete", down):
        SOON.clear(7)
    assert "Test work of 7: debounce key not cleared" in caplog.text


def test_without_a_broker_the_task_runs_in_process_after_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True):
        SOON.announce(task, 7)
        assert task.ran == []
    assert task.ran == [(7,)] and task.sent == []


def test_the_programmes_tasks_clear_their_keys(db, settings, monkeypatch):
    """Each debounced task clears its own key first, so a change during a run is not lost."""
    import monitoring.rollups
    import pibk.rollups
    import surveys.rating
    from monitoring.tasks import rebuild_rollups
    from pibk.tasks import rebuild_pibk_rollups
    from surveys.tasks import recompute_school_rating

    cleared = []
    for debounce in (
        monitoring.rollups.ROLLUPS_SOON,
        pibk.rollups.ROLLUPS_SOON,
        surveys.rating.RATING_SOON,
    ):
        monkeypatch.setattr(
            debounce, "clear", lambda *args, d=debounce: cleared.append(d.key(*args))
        )
    monkeypatch.setattr(monitoring.rollups, "rollups_rebuild", lambda **kw: 0)
    monkeypatch.setattr(pibk.rollups, "rollups_rebuild", lambda **kw: 0)
    monkeypatch.setattr(surveys.rating, "school_rating_refresh", lambda **kw: _Score())
    rebuild_rollups.apply(args=(3,))
    rebuild_pibk_rollups.apply(args=(2026,))
    recompute_school_rating.apply(args=(3, 11))
    assert cleared == [
        "ssqs:rollups-pending:3",
        "pibk:rollups-pending:2026",
        "ssqs:rating-pending:3:11",
    ]


class _Score:
    score = 0


def test_the_migrations_carried_figures_read_as_before(db):
    """A row written as the data migrations write it (decimals as text) reads typed."""
    RollUp.objects.create(
        programme="ssqs",
        period=2026,
        level="national",
        code="KPM",
        name="KPM",
        schools=3,
        figures={"mean_score": "79.55", "stars_final": [0, 0, 0, 0, 1], "rated": 1},
        computed_at=NOW - datetime.timedelta(days=1),
    )
    row = SsqsRollUp.objects.get()
    assert (row.mean_score, row.stars_final, row.rated, row.schools) == (
        Decimal("79.55"),
        [0, 0, 0, 0, 1],
        1,
        3,
    )
    assert row.percent_complete_schools == 0 and row.stars_provisional == []


def test_an_announcement_after_a_commit_in_the_same_test_is_not_swallowed(
    db, broker, django_capture_on_commit_callbacks
):
    """A test's captured callbacks stay listed after they ran: a later change still enqueues."""
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True):
        SOON.announce(task, 7)
    SOON.clear(7)
    with django_capture_on_commit_callbacks(execute=True):
        SOON.announce(task, 7)
    assert task.sent == [((7,), 30), ((7,), 30)]
