"""Accreditation (Pentauliahan): the rules, the centre's application, the body's acts.

domain.md 4: "training centres (Pusat Bertauliah) apply to run programmes of
a NOSS (full, or modular: one or more CUs); approved with conditions and an
expiry", and a certificate needs "a centre whose accreditation for that
programme was valid on the assessment date".
"""

import datetime

import pytest
from django.utils import timezone

from skills.models import Accreditation, AccreditationEvent
from skills.rules import AccreditationFacts, accreditation_blocks, accreditation_refusal
from skills.selectors.accreditation import (
    accreditation_blocked,
    accreditation_blocks_now,
    accreditation_valid_on,
)
from skills.services.accreditation import (
    AccreditationRefused,
    accreditation_act,
    accreditation_apply,
)

D = datetime.date(2026, 6, 1)
LATER = D + datetime.timedelta(days=365)


@pytest.mark.parametrize(
    ("act", "state", "reason", "expires_on", "refused"),
    [
        # "approved with conditions and an expiry": an expiry after today
        ("approve", "applied", "", LATER, False),
        ("approve", "applied", "", None, True),
        ("approve", "applied", "", D, True),
        ("approve", "approved", "", LATER, True),
        ("refuse", "applied", "Tiada bengkel", None, False),
        ("refuse", "applied", "  ", None, True),  # a reason the centre reads
        ("refuse", "approved", "x", None, True),
        ("suspend", "approved", "Audit gagal", None, False),
        ("suspend", "approved", "", None, True),
        ("suspend", "applied", "x", None, True),
        ("reinstate", "suspended", "Pematuhan dipulihkan", None, False),
        ("reinstate", "suspended", "", None, True),
        ("reinstate", "approved", "x", None, True),
        ("revoke", "approved", "Penipuan", None, False),
        ("revoke", "suspended", "Penipuan", None, False),
        ("revoke", "revoked", "x", None, True),
        ("revoke", "refused", "x", None, True),
        ("renew", "approved", "x", LATER, True),  # no such act
    ],
)
def test_accreditation_refusal(act, state, reason, expires_on, refused):
    message = accreditation_refusal(act, state, reason=reason, expires_on=expires_on, today=D)
    assert (message is not None) == refused


@pytest.mark.parametrize(
    ("state", "valid_from", "expires_on", "on", "blocks"),
    [
        ("approved", D, LATER, D, None),
        ("approved", D, LATER, LATER, None),  # valid on its last day
        ("approved", D, LATER, LATER + datetime.timedelta(days=1), "expired"),
        ("approved", D, LATER, D - datetime.timedelta(days=1), "valid only from"),
        ("suspended", D, LATER, D, "suspended"),
        ("revoked", D, LATER, D, "revoked"),
        ("applied", None, None, D, "not approved"),
        ("refused", None, None, D, "not approved"),
    ],
)
def test_accreditation_blocks(state, valid_from, expires_on, on, blocks):
    message = accreditation_blocks(AccreditationFacts(state, valid_from, expires_on), on)
    if blocks is None:
        assert message is None
    else:
        assert blocks in str(message)


def _applied(sw, mode="full", units=()):
    return accreditation_apply(centre=sw.centre_a, standard=_standard(sw), mode=mode,
                               unit_ids=units, note="Bengkel baharu", by=sw.users[
                                   "centre_admin_a"])  # fmt: skip


def _standard(sw):
    """A second standard of the world, with two CUs, that centre A is not accredited for."""
    from skills.models import CompetencyUnit, Standard

    standard, created = Standard.objects.get_or_create(
        code="A011-001-2:2018",
        defaults={"title_ms": "Operasi Ladang", "title_en": "Farm operation",
                  "sector": sw.sector, "level": 2},
    )  # fmt: skip
    if created:
        for i in (1, 2):
            CompetencyUnit.objects.create(standard=standard, code=f"A011-C0{i}", title_ms="U",
                                          title_en="U", hours=60, order=i)  # fmt: skip
    return standard


@pytest.mark.django_db
def test_a_full_application_is_recorded_with_its_event(skills_world):
    sw = skills_world
    accreditation = _applied(sw)
    assert accreditation.state == "applied" and accreditation.mode == "full"
    assert not accreditation.units.exists()
    event = accreditation.events.get()
    assert (event.act, event.by, event.reason) == ("apply", sw.users["centre_admin_a"],
                                                    "Bengkel baharu")  # fmt: skip


@pytest.mark.django_db
def test_a_modular_application_keeps_its_chosen_cus(skills_world):
    sw = skills_world
    unit = _standard(sw).units.first()
    accreditation = _applied(sw, "modular", [unit.pk])
    assert accreditation.mode == "modular"
    assert list(accreditation.units.all()) == [unit]


@pytest.mark.django_db
def test_a_modular_application_naming_every_cu_is_full(skills_world):
    sw = skills_world
    units = list(_standard(sw).units.values_list("pk", flat=True))
    assert _applied(sw, "modular", units).mode == "full"


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["none", "other standard's"])
def test_a_modular_application_needs_cus_of_its_standard(skills_world, which):
    sw = skills_world
    units = [] if which == "none" else [sw.units[0].pk]
    with pytest.raises(AccreditationRefused):
        _applied(sw, "modular", units)
    assert not Accreditation.objects.filter(standard__code="A011-001-2:2018").exists()


@pytest.mark.django_db
def test_a_second_application_while_one_waits_or_is_valid_is_refused(skills_world):
    sw = skills_world
    _applied(sw)
    with pytest.raises(AccreditationRefused):
        _applied(sw)
    with pytest.raises(AccreditationRefused, match="already accredited"):
        accreditation_apply(centre=sw.centre_a, standard=sw.standard, mode="full", unit_ids=[],
                            note="", by=sw.users["centre_admin_a"])  # fmt: skip
    # Centre B's accreditation has expired: it may apply again (a renewal).
    renewal = accreditation_apply(centre=sw.centre_b, standard=sw.standard, mode="full",
                                  unit_ids=[], note="", by=sw.users["centre_admin_b"])  # fmt: skip
    assert renewal.state == "applied"


@pytest.mark.django_db
def test_a_superseded_standard_cannot_be_applied_for(skills_world):
    sw = skills_world
    newer = _standard(sw)
    newer.supersedes = sw.standard
    newer.save()
    with pytest.raises(AccreditationRefused, match="superseded"):
        accreditation_apply(centre=sw.centre_b, standard=sw.standard, mode="full", unit_ids=[],
                            note="", by=sw.users["centre_admin_b"])  # fmt: skip


@pytest.mark.django_db
def test_approve_sets_conditions_and_dates(skills_world):
    sw = skills_world
    accreditation = _applied(sw)
    officer = sw.users["cert_officer"]
    accreditation_act(
        accreditation_id=accreditation.pk, act="approve", by=officer,
        conditions="Dua PP bertauliah", expires_on=sw.today.replace(year=2099),
    )  # fmt: skip
    accreditation.refresh_from_db()
    assert accreditation.state == "approved"
    assert accreditation.conditions == "Dua PP bertauliah"
    assert accreditation.valid_from == sw.today
    assert accreditation.expires_on == sw.today.replace(year=2099)
    assert accreditation.decided_by == officer
    assert accreditation.events.filter(act="approve", by=officer).exists()


@pytest.mark.django_db
def test_approve_refuses_an_expiry_before_valid_from(skills_world):
    sw = skills_world
    accreditation = _applied(sw)
    with pytest.raises(AccreditationRefused):
        accreditation_act(accreditation_id=accreditation.pk, act="approve",
                          by=sw.users["cert_officer"], valid_from=sw.today.replace(year=2100),
                          expires_on=sw.today.replace(year=2099))  # fmt: skip
    accreditation.refresh_from_db()
    assert accreditation.state == "applied" and accreditation.events.count() == 1


@pytest.mark.django_db
def test_refuse_records_the_reason(skills_world):
    sw = skills_world
    accreditation = _applied(sw)
    accreditation_act(accreditation_id=accreditation.pk, act="refuse",
                      by=sw.users["cert_officer"], reason="Tiada bengkel")  # fmt: skip
    accreditation.refresh_from_db()
    assert (accreditation.state, accreditation.reason) == ("refused", "Tiada bengkel")
    assert accreditation.events.filter(act="refuse", reason="Tiada bengkel").exists()


@pytest.mark.django_db
def test_suspend_reinstate_revoke(skills_world):
    sw = skills_world
    a = sw.accreditation_a
    officer = sw.users["cert_officer"]
    accreditation_act(accreditation_id=a.pk, act="suspend", by=officer, reason="Audit")
    a.refresh_from_db()
    assert a.state == "suspended" and a.reason == "Audit"
    assert "suspended" in str(accreditation_blocks_now(a, sw.today))
    blocked = accreditation_blocked(a, sw.today)
    assert blocked.since == sw.today and blocked.reason == "Audit"
    accreditation_act(accreditation_id=a.pk, act="reinstate", by=officer, reason="Dipulihkan")
    a.refresh_from_db()
    assert a.state == "approved" and accreditation_blocks_now(a, sw.today) is None
    accreditation_act(accreditation_id=a.pk, act="revoke", by=officer, reason="Penipuan")
    a.refresh_from_db()
    assert a.state == "revoked"
    assert list(a.events.order_by("at", "pk").values_list("act", flat=True)) == [
        "suspend", "reinstate", "revoke"]  # fmt: skip
    with pytest.raises(AccreditationRefused):
        accreditation_act(accreditation_id=a.pk, act="reinstate", by=officer, reason="x")


@pytest.mark.django_db
def test_an_expired_accreditation_blocks_new_intakes_since_the_day_after_expiry(skills_world):
    sw = skills_world
    b = sw.accreditation_b
    assert "expired" in str(accreditation_blocks_now(b, sw.today))
    blocked = accreditation_blocked(b, sw.today)
    assert blocked.since == b.expires_on + datetime.timedelta(days=1)
    assert accreditation_valid_on(b, b.expires_on)
    assert not accreditation_valid_on(b, sw.today)


@pytest.mark.django_db
def test_valid_on_follows_the_history_across_a_suspension(skills_world):
    sw = skills_world
    a = sw.accreditation_a
    officer = sw.users["cert_officer"]
    tz = timezone.get_current_timezone()

    def event(act, day):
        AccreditationEvent.objects.create(
            accreditation=a, act=act, by=officer, reason="x",
            at=datetime.datetime.combine(day, datetime.time(10), tzinfo=tz),
        )  # fmt: skip

    start = a.valid_from
    suspended = start + datetime.timedelta(days=100)
    reinstated = start + datetime.timedelta(days=130)
    event("approve", start)
    event("suspend", suspended)
    event("reinstate", reinstated)
    a.refresh_from_db()
    assert accreditation_valid_on(a, start)
    assert accreditation_valid_on(a, suspended - datetime.timedelta(days=1))
    assert not accreditation_valid_on(a, suspended)  # from the day it was suspended
    assert not accreditation_valid_on(a, reinstated - datetime.timedelta(days=1))
    assert accreditation_valid_on(a, reinstated)
    assert not accreditation_valid_on(a, start - datetime.timedelta(days=1))
    assert not accreditation_valid_on(a, a.expires_on + datetime.timedelta(days=1))
    # A revocation ends it for good, whatever the dates say.
    revoked = reinstated + datetime.timedelta(days=10)
    event("revoke", revoked)
    assert accreditation_valid_on(a, revoked - datetime.timedelta(days=1))
    assert not accreditation_valid_on(a, revoked)
    assert not accreditation_valid_on(a, a.expires_on)


@pytest.mark.django_db
def test_valid_on_reads_prefetched_events_without_a_query(skills_world, django_assert_num_queries):
    sw = skills_world
    accreditations = list(Accreditation.objects.prefetch_related("events"))
    with django_assert_num_queries(0):
        assert [accreditation_valid_on(a, sw.today) for a in accreditations] == [True, False]


# --- the pages ---


@pytest.mark.django_db
def test_the_centre_page_says_why_and_since_when_intakes_are_blocked(skills_world, login):
    sw = skills_world
    content = login(sw.users["centre_admin_b"]).get(
        f"/kemahiran/pusat/{sw.centre_b.code}/").content.decode()  # fmt: skip
    since = (sw.accreditation_b.expires_on + datetime.timedelta(days=1)).isoformat()
    assert 'data-blocked="approved"' in content and f'data-since="{since}"' in content
    accreditation_act(accreditation_id=sw.accreditation_a.pk, act="suspend",
                      by=sw.users["cert_officer"], reason="Audit pematuhan gagal")  # fmt: skip
    content = login(sw.users["centre_admin_a"]).get(
        f"/kemahiran/pusat/{sw.centre_a.code}/").content.decode()  # fmt: skip
    assert 'data-blocked="suspended"' in content
    assert f'data-since="{sw.today.isoformat()}"' in content
    assert "Audit pematuhan gagal" in content
    assert 'data-event="suspend"' in content  # the history, shown to the centre


@pytest.mark.django_db
def test_a_refused_act_names_the_reason_and_changes_nothing(skills_world, login):
    sw = skills_world
    response = login(sw.users["cert_officer"]).post(
        f"/kemahiran/pentauliahan/{sw.accreditation_a.pk}/", {"act": "suspend", "reason": " "}
    )
    assert response.status_code == 200 and "data-refused" in response.content.decode()
    sw.accreditation_a.refresh_from_db()
    assert sw.accreditation_a.state == "approved" and not sw.accreditation_a.events.exists()


@pytest.mark.django_db
def test_a_refused_application_names_the_reason(skills_world, login):
    sw = skills_world
    response = login(sw.users["centre_admin_a"]).post(
        f"/kemahiran/pusat/{sw.centre_a.code}/mohon/",
        {"standard": sw.standard.code, "mode": "full"},
    )
    assert response.status_code == 200
    assert "already accredited" in response.content.decode() or "data-refused" in (
        response.content.decode()
    )
    assert sw.centre_a.accreditations.count() == 1


@pytest.mark.django_db
def test_the_body_lists_what_expires_within_90_days(skills_world, login):
    sw = skills_world
    soon = Accreditation.objects.create(
        centre=sw.centre_b, standard=_standard(sw), state="approved", valid_from=sw.today,
        expires_on=sw.today + datetime.timedelta(days=30),
    )  # fmt: skip
    client = login(sw.users["cert_officer"])
    content = client.get("/kemahiran/pentauliahan/", {"expiring": "1"}).content.decode()
    assert f'data-accreditation="{soon.pk}"' in content
    assert f'data-accreditation="{sw.accreditation_a.pk}"' not in content  # a year left
    applied = client.get("/kemahiran/pentauliahan/", {"state": "applied"}).content.decode()
    assert "data-accreditation=" not in applied


@pytest.mark.django_db
def test_the_pages_take_constant_queries(skills_world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = skills_world
    # One of each thing the pages show (an event, a modular CU) before counting.
    AccreditationEvent.objects.create(accreditation=sw.accreditation_a, act="approve",
                                      by=sw.users["cert_officer"])  # fmt: skip
    sw.accreditation_b.mode = "modular"
    sw.accreditation_b.save()
    sw.accreditation_b.units.set(sw.units[:1])
    client = login(sw.users["cert_officer"])
    urls = [f"/kemahiran/pusat/{sw.centre_a.code}/", "/kemahiran/pentauliahan/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context))
        return result

    few = counts()
    for n in range(6):
        other = _standard(sw) if n == 0 else None
        a = Accreditation.objects.create(centre=sw.centre_a, standard=other or sw.standard,
                                         mode="modular")  # fmt: skip
        a.units.set(sw.units[:2])
        AccreditationEvent.objects.create(accreditation=a, act="apply",
                                          by=sw.users["centre_admin_a"])  # fmt: skip
    assert counts() == few
