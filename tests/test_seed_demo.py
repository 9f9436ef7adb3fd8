import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from surveys.models import Rating, Respondent


def test_seed_demo_builds_a_world_to_look_at_and_prints_the_logins(db, capsys, monkeypatch):
    monkeypatch.setenv("DEMO_URL", "http://127.0.0.1:8001/")  # as `make run PORT=8001` sets it
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Demo logins (http://127.0.0.1:8001/login/):" in out
    for username in ("ppd.petaling", "jpn.selangor", "kpm", "admin", "BBA5008", "BBA5008R"):
        assert f"  {username} " in out, username
    assert "Pilih Responden: tag" in out
    # Named staff of BBA5008: a head, an exam secretary, a teacher with two roles.
    from core.people.models import RoleGrant

    for username, roles in (
        ("gb.bba5008", {"head"}),
        ("sup.bba5008", {"exam_secretary"}),
        ("cikgu.bba5008", {"ict_coordinator", "pibk_coordinator"}),
    ):
        assert f"  {username} " in out, username
        held = RoleGrant.objects.filter(user__username=username, unit_code="BBA5008")
        assert set(held.values_list("role", flat=True)) == roles
    # The respondent account logs in with the printed password, set as a coordinator would.
    line = next(line for line in out.splitlines() if line.strip().startswith("BBA5008R "))
    assert get_user_model().objects.get(username="BBA5008R").check_password(line.split()[1])
    assert Rating.objects.filter(status="final").exists()
    assert Rating.objects.filter(status="provisional").exists()
    assert Respondent.objects.filter(completed_at__isnull=False).count() > 50
    # PIBK: two verified past years and this one, a register at BBA5008, KPIs rolled up.
    from pibk.models import Attendance, Family, PibkRollUp, SchoolYear

    years = sorted(
        set(PibkRollUp.objects.filter(level="national").values_list("period", flat=True))
    )
    assert len(years) == 3
    assert Family.objects.filter(school_year__school__code="BBA5008").count() > 100
    assert Attendance.objects.exists()
    assert SchoolYear.objects.filter(year=years[-1], mode="counts").count() >= 5
    assert PibkRollUp.objects.get(period=years[0], level="national").kpi1 is not None
    # PASR: two PPKI schools with candidates at every stage, the board's override and request.
    from pasr.models import Absence, Candidate, OverrideRequest, Transfer
    from pasr.models import Rating as PasrRating

    for username in ("kp.bba5008", "guru.pk.bba5008", "sup.aba0901", "lp.pasr"):
        assert f"  {username} " in out, username
    pasr = Candidate.objects.filter(school__code__in=("BBA5008", "ABA0901"))
    assert pasr.count() >= 20
    stages = set(PasrRating.objects.values_list("stage", flat=True))
    assert stages == {"assessed", "moderated", "verified"}
    assert Absence.objects.exists() and Transfer.objects.exists()
    assert Candidate.objects.exclude(override_reason="").exists()
    assert OverrideRequest.objects.filter(state="pending").exists()
    # Skills: the body, two centres (one expired), intakes at every stage, three certificates.
    from skills.models import Certificate, Intake, Result
    from skills.models import Trainee as SkillsTrainee

    for username in ("pegawai.sijil", "ppl.kamala", "pentadbir.pb01", "pentadbir.pb02",
                     "pp.rahim", "pelatih.demo"):  # fmt: skip
        assert f"  {username} " in out, username
    assert set(Intake.objects.values_list("state", flat=True)) == {
        "open",
        "submitted",
        "returned",
        "verified",
    }
    assert set(Certificate.objects.values_list("status", flat=True)) == {
        "valid",
        "revoked",
        "superseded",
    }
    numbers = out.split("Demo skills certificates")[1].splitlines()[1:4]
    for line, status in zip(numbers, ("valid", "revoked", "superseded"), strict=True):
        assert line.split()[0] == status
        assert Certificate.objects.get(reference=line.split()[1]).status == status
    trainee = SkillsTrainee.objects.get(user__username="pelatih.demo")
    assert trainee.certificates.filter(status="valid").exists()
    skills_counts = (Intake.objects.count(), Certificate.objects.count(), Result.objects.count())
    # SPMI: BBA5008 mid-cycle with an approved plan (one action overdue), BBC5012 after step 5.
    from spmi.models import Action, Cycle, HeldLevel

    for username in ("mutu.bba5008", "mutu.bbc5012", "gb.bbc5012"):
        assert f"  {username} " in out, username
    mid = Cycle.objects.get(school__code="BBA5008")
    assert mid.stage == "carrying_out" and mid.approved_by is not None
    assert Action.objects.filter(cycle=mid, progress__isnull=False).exists()
    stepped = Cycle.objects.filter(school__code="BBC5012").order_by("year")
    assert [c.stage for c in stepped] == ["closed", "mapping"]
    assert HeldLevel.objects.filter(cycle=stepped[1]).exists()
    assert Action.objects.filter(cycle=stepped[1], rolled_from__isnull=False).exists()
    spmi_counts = (Cycle.objects.count(), Action.objects.count())
    call_command("seed_demo", url="http://localhost:8002")  # a second run is harmless
    assert (Intake.objects.count(), Certificate.objects.count(), Result.objects.count()) == (
        skills_counts
    )
    assert "Demo logins (http://localhost:8002/login/):" in capsys.readouterr().out
    assert get_user_model().objects.filter(username="kpm").count() == 1
    assert (Cycle.objects.count(), Action.objects.count()) == spmi_counts
    assert SchoolYear.objects.filter(year=years[-1], school__code="BBA5008").count() == 1


def test_seed_demo_refuses_an_address_that_is_not_http_before_seeding(db):
    from schools.models import School

    with pytest.raises(CommandError, match="not an http:// or https:// address"):
        call_command("seed_demo", url="localhost:8001")
    assert not School.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_seed_demo_the_address_it_serves():
    root = Path(__file__).resolve().parent.parent
    plan = subprocess.run(
        ["make", "-n", "-B", "run", "HOST=127.0.0.1", "PORT=8001"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DEMO_URL=http://127.0.0.1:8001/ DEBUG=1 .venv/bin/python manage.py seed_demo" in plan
    assert "runserver 127.0.0.1:8001" in plan


def test_a_large_bulk_load_refreshes_postgresql_statistics(db):
    from django.db import connection

    from ssqs_portal.db import analyze_after_bulk_load
    from surveys.models import Respondent

    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("ANALYZE is PostgreSQL's")
    analyze_after_bulk_load(Respondent, rows=10)  # small: nothing to do
    analyze_after_bulk_load(Respondent, rows=10_000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            [Respondent._meta.db_table],
        )
        assert cursor.fetchone()[0] is not None
