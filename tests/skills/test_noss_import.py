"""import_noss: every row checked and named, all or nothing, idempotent (interfaces.md)."""

import io

import pytest
from django.core.management import CommandError, call_command

from skills import noss
from skills.models import CompetencyUnit, Result, Sector, Standard

HEADER = ",".join(noss.COLUMNS)
DEMO = "skills/data/noss-demo.csv"


def row(code="IT-010-3:2016", cu="C01", *, title="Pembangunan Perisian", level=None, hours="40",
        supersedes="", sector="IT", sector_ms="Teknologi Maklumat", cu_title="Unit"):  # fmt: skip
    level = level if level is not None else code.split(":")[0][-1]
    return ",".join([code, title, "Software development", sector, sector_ms, "IT", level,
                     code[-4:], supersedes, f"{code}-{cu}", cu_title, "Unit", hours])  # fmt: skip


def write(tmp_path, *rows, bom=False, name="noss.csv"):
    path = tmp_path / name
    text = "\n".join([HEADER, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_noss", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def snapshot():
    return (
        sorted(Standard.objects.values_list("code", "title_ms", "level", "supersedes__code",
                                            "is_demo", "updated_at")),
        sorted(CompetencyUnit.objects.values_list("standard__code", "code", "title_ms", "hours",
                                                  "order")),
        sorted(Sector.objects.values_list("code", "name_ms")),
    )  # fmt: skip


@pytest.mark.django_db
def test_the_demo_registry_loads_marked_as_demo_and_a_second_run_changes_nothing():
    ok, out, err = run(DEMO, "--demo")
    assert ok, err
    assert Standard.objects.count() == 8 and Sector.objects.count() == 4
    assert set(Standard.objects.values_list("level", flat=True)) == {1, 2, 3, 4, 5}
    assert not Standard.objects.filter(is_demo=False).exists()
    newer = Standard.objects.get(code="J620-003-3:2021")
    assert newer.supersedes.code == "IT-010-3:2016"
    before = snapshot()
    ok, out, _err = run(DEMO, "--demo")
    assert ok and "unchanged: 8" in out
    assert snapshot() == before  # not even updated_at moved


@pytest.mark.django_db
def test_the_demo_file_says_it_is_demo_data():
    with open(DEMO, encoding="utf-8") as handle:
        assert "DEMO DATA" in handle.readline()


@pytest.mark.django_db
def test_every_bad_row_is_named_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        row("IT-010-3:2016", "C01"),
        row("IT-10-3:2016", "C01"),  # code format
        row("IT-011-3:2016", "C01", level="4"),  # level against the code's digit
        row("IT-012-3:2016", "C01", level="6"),  # level outside 1-5
        row("IT-013-3:2016", "C01", hours="0"),  # hours
        row("IT-014-3:2016", "C01", hours="1.5"),
        row("IT-015-3:2016", "C01", title=""),  # title blank
        row("IT-016-3:2016", "C01", supersedes="IT-999-3:2010"),  # supersedes nothing known
        row("IT-010-3:2016", "C01"),  # the same CU twice in a standard
        row("IT-010-3:2016", "C02", title="Lain"),  # the standard's title differs
    )
    ok, _out, err = run(path)
    assert not ok
    for expected in [
        "row 3, standard_code", "row 4, level", "row 5, level", "row 6, cu_hours",
        "row 7, cu_hours", "row 8, standard_title_ms", "row 9, supersedes", "row 10, cu_code",
        "row 11, standard_title_ms", "9 errors",
    ]:  # fmt: skip
        assert expected in err, expected
    assert not Standard.objects.exists() and not Sector.objects.exists()


@pytest.mark.django_db
def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("standard_code,standard_title_ms\nIT-010-3:2016,X\n", encoding="utf-8")
    ok, _out, err = run(path)
    assert not ok and "row 1, cu_hours: required column is missing" in err


@pytest.mark.django_db
def test_updates_titles_and_hours_and_removes_a_cu_left_out(tmp_path):
    assert run(write(tmp_path, row(cu="C01"), row(cu="C02")))[0]
    ok, out, err = run(write(tmp_path, row(cu="C01", hours="80", cu_title="Baru")))
    assert ok, err
    assert "updated: 1" in out
    units = list(CompetencyUnit.objects.values_list("code", "hours", "title_ms"))
    assert units == [("IT-010-3:2016-C01", 80, "Baru")]


@pytest.mark.django_db
def test_a_cu_with_results_is_not_removed_and_nothing_changes(tmp_path, skills_world):
    from skills.models import Enrolment, Intake

    sw = skills_world
    intake = Intake.objects.create(centre=sw.centre_a, accreditation=sw.accreditation_a,
                                   code="I1", starts_on=sw.today, ends_on=sw.today)  # fmt: skip
    enrolment = Enrolment.objects.create(intake=intake, trainee=sw.trainee)
    Result.objects.create(enrolment=enrolment, unit=sw.units[2], outcome="competent",
                          assessed_on=sw.today, assessor=sw.users["assessor_ab"])  # fmt: skip
    rows = [row(cu=f"C0{i}", hours="99", sector_ms="Teknologi Maklumat") for i in (1, 2)]
    ok, _out, err = run(write(tmp_path, *rows))
    assert not ok
    assert "IT-010-3:2016-C03" in err and "results or certificates" in err
    # The first CUs' new hours were not kept either: all or nothing.
    assert sorted(CompetencyUnit.objects.values_list("hours", flat=True)) == [40, 80, 120]


@pytest.mark.django_db
def test_supersedes_may_name_a_standard_already_in_the_registry(tmp_path):
    assert run(write(tmp_path, row("IT-010-3:2016")))[0]
    ok, _out, err = run(write(tmp_path, row("J620-003-3:2021", supersedes="IT-010-3:2016"),
                              name="second.csv"))  # fmt: skip
    assert ok, err
    assert Standard.objects.get(code="J620-003-3:2021").supersedes.code == "IT-010-3:2016"
    assert Standard.objects.get(code="IT-010-3:2016").superseded_by.count() == 1


@pytest.mark.django_db
def test_standards_superseding_each_other_are_refused(tmp_path):
    path = write(tmp_path, row("IT-010-3:2016", supersedes="IT-011-3:2016"),
                 row("IT-011-3:2016", supersedes="IT-010-3:2016"))  # fmt: skip
    ok, _out, err = run(path)
    assert not ok and "supersedes a standard that supersedes it" in err


@pytest.mark.django_db
def test_a_file_with_a_byte_order_mark_loads(tmp_path):
    ok, _out, err = run(write(tmp_path, row(), bom=True))
    assert ok, err
    assert Standard.objects.filter(code="IT-010-3:2016").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n" + row(title="Pembangunan Perisian é")).encode("cp1252"))
    ok, _out, err = run(path)
    assert not ok and "Line 2 is not UTF-8" in err
    assert not Standard.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, row())
    monkeypatch.setattr("skills.management.commands.import_noss.MAX_BYTES", 100)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read"))
    ok, _out, err = run(path)
    assert not ok and "at most" in err
    assert not Standard.objects.exists()


def test_the_parser_refuses_too_many_bytes_too():
    result = noss.parse_noss(b"x" * (noss.MAX_BYTES + 1))
    assert result.errors and not result.standards


def test_a_nul_character_is_named():
    result = noss.parse_noss((HEADER + "\n" + row(title="a\x00b")).encode())
    assert result.errors[0].row == 2
