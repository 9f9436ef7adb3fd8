from django.contrib.auth import get_user_model
from django.core.management import call_command

from surveys.models import Rating, Respondent


def test_seed_demo_builds_a_world_to_look_at_and_prints_the_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("ppd.petaling", "jpn.selangor", "kpm", "admin", "BBA5008", "BBA5008R"):
        assert f"  {username} " in out, username
    assert "Pilih Responden: tag" in out
    assert Rating.objects.filter(status="final").exists()
    assert Rating.objects.filter(status="provisional").exists()
    assert Respondent.objects.filter(completed_at__isnull=False).count() > 50
    call_command("seed_demo")  # a second run is harmless
    assert get_user_model().objects.filter(username="kpm").count() == 1


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
