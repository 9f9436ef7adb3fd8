import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from schools.importing import KNOWN_COLUMNS, district_code, parse_school_csv
from schools.models import District, School, State

HEADER = ",".join(KNOWN_COLUMNS)
GOOD = (
    "SELANGOR,PPD PETALING UTAMA,PETALING JAYA,BUKIT GASING,Rendah,SK,BBA5008,"
    "SEKOLAH KEBANGSAAN CONTOH,JALAN 1,46000,PETALING JAYA,0378001234,TIADA,--,Bandar,A,SK,"
    "1 Sesi,Pagi Sahaja,50,820,24,56,ADA,ADA,101.6412,3.1069,"
)
SMALL = (
    "PERAK,PPD BATANG PADANG,TAPAH,AYER KUNING,Rendah,SK,ABAA001,SEKOLAH KEBANGSAAN KECIL,"
    "JALAN 2,35000,TAPAH,,,,Luar Bandar,B,SK,1 Sesi,Pagi Sahaja,0,96,,14,TIADA,TIADA,,,YA"
)


def csv_text(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def write(tmp_path, text):
    path = tmp_path / "schools.csv"
    path.write_text(text, encoding="utf-8")
    return path


def replace_field(row, column, value):
    values = row.split(",")
    values[KNOWN_COLUMNS.index(column)] = value
    return ",".join(values)


def test_it_parses_a_good_row_into_the_school_fields():
    result = parse_school_csv(csv_text(GOOD, SMALL))
    assert result.errors == []
    good, small = result.records
    assert good.code == "BBA5008"
    assert good.state_code == "SGR"
    assert good.district_code == "SGR-PETALING-UTAMA"
    assert good.fields["level"] == "primary"
    assert good.fields["enrolment"] == 820
    assert good.fields["has_ppki"] is True
    assert good.fields["is_skm"] is False
    assert good.fields["fax"] == "" and good.fields["email"] == ""
    assert small.code == "ABAA001"  # a letter in the 4th place is a real code shape
    assert small.fields["is_skm"] is True
    assert small.fields["longitude"] is None


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (replace_field(GOOD, "KODSEKOLAH", "BB5008"), "KODSEKOLAH", "not a school code"),
        (replace_field(GOOD, "KODSEKOLAH", "B1A5008"), "KODSEKOLAH", "not a school code"),
        (replace_field(GOOD, "PPD", ""), "PPD", "blank"),
        (replace_field(GOOD, "ENROLMEN", "lapan ratus"), "ENROLMEN", "not a whole number"),
        (replace_field(GOOD, "ENROLMEN", "-5"), "ENROLMEN", "not a whole number"),
        (replace_field(GOOD, "NEGERI", "ATLANTIS"), "NEGERI", "not a known state"),
        (replace_field(GOOD, "PERINGKAT", "Tinggi"), "PERINGKAT", "neither Rendah nor Menengah"),
        (replace_field(GOOD, "KOORDINATYY", "utara"), "KOORDINATYY", "not a number"),
        (replace_field(GOOD, "NAMASEKOLAH", " "), "NAMASEKOLAH", "blank"),
    ],
)
def test_it_names_the_row_and_field_of_a_bad_value(row, column, words):
    result = parse_school_csv(csv_text(SMALL, row))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (3, column)
    assert words in error.message
    assert str(error).startswith("row 3, " + column)


def test_it_rejects_an_unknown_column_and_a_missing_one():
    header = HEADER.replace("KODSEKOLAH", "KOD") + ",WARNA"
    errors = parse_school_csv(csv_text(GOOD, header=header)).errors
    assert {(e.row, e.column, e.message) for e in errors} == {
        (1, "KOD", "unknown column"),
        (1, "WARNA", "unknown column"),
        (1, "KODSEKOLAH", "required column is missing"),
    }


def test_it_rejects_a_code_that_appears_twice():
    errors = parse_school_csv(csv_text(GOOD, SMALL, GOOD)).errors
    assert [(e.row, e.column) for e in errors] == [(4, "KODSEKOLAH")]
    assert "row 2" in errors[0].message


def test_district_code_is_state_and_name():
    assert district_code("PRK", "PPD LARUT/MATANG/SELAMA") == "PRK-LARUT-MATANG-SELAMA"
    assert district_code("PLS", "JPN PERLIS") == "PLS-JPN-PERLIS"


@pytest.mark.django_db
def test_import_creates_hierarchy_and_both_school_accounts(tmp_path):
    call_command(
        "import_schools", write(tmp_path, csv_text(GOOD, SMALL)), initial_password="Awal-12345"
    )
    assert State.objects.count() == 2 and District.objects.count() == 2
    school = School.objects.get(code="BBA5008")
    assert school.district.state.code == "SGR"
    User = get_user_model()
    coordinator = User.objects.get(username="BBA5008")
    respondent = User.objects.get(username="BBA5008R")
    assert coordinator.role == "coordinator" and coordinator.must_change_password
    assert respondent.role == "respondent" and respondent.school == school
    assert coordinator.check_password("Awal-12345")
    # The respondent account waits for the coordinator to set its password (issue 11).
    assert not respondent.has_usable_password()


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_keeps_passwords(tmp_path, capsys):
    path = write(tmp_path, csv_text(GOOD, SMALL))
    call_command("import_schools", path, initial_password="Awal-12345")
    coordinator = get_user_model().objects.get(username="BBA5008")
    coordinator.set_password("Baru-Saya-999")
    coordinator.save()
    before = list(School.objects.values_list("code", "updated_at"))
    capsys.readouterr()
    call_command("import_schools", path, initial_password="Lain-00000")
    out = capsys.readouterr().out
    assert "schools created: 0, updated: 0, unchanged: 2, accounts created: 0" in out
    assert list(School.objects.values_list("code", "updated_at")) == before
    coordinator.refresh_from_db()
    assert coordinator.check_password("Baru-Saya-999")


@pytest.mark.django_db
def test_an_import_updates_a_changed_school(tmp_path, capsys):
    call_command("import_schools", write(tmp_path, csv_text(GOOD)))
    call_command(
        "import_schools", write(tmp_path, csv_text(replace_field(GOOD, "ENROLMEN", "900")))
    )
    assert School.objects.get(code="BBA5008").enrolment == 900
    assert "updated: 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_bad_row_imports_nothing_and_names_row_and_field(tmp_path, capsys):
    bad = replace_field(SMALL, "ENROLMEN", "96a")
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import_schools", write(tmp_path, csv_text(GOOD, bad)))
    assert "row 3, ENROLMEN: '96a' is not a whole number" in capsys.readouterr().err
    assert School.objects.count() == 0 and State.objects.count() == 0
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
def test_the_school_code_format_is_a_database_constraint():
    from django.db import IntegrityError

    from tests.factories import DistrictFactory

    with pytest.raises(IntegrityError):
        School.objects.create(code="bad", name="X", district=DistrictFactory(), level="primary")


@pytest.mark.realdata
@pytest.mark.django_db
def test_the_real_ministry_list_gives_the_published_counts(school_list_path, capsys):
    call_command("import_schools", school_list_path, initial_password="Awal-12345")
    assert School.objects.count() == 10239
    assert State.objects.count() == 16
    assert District.objects.count() == 146
    assert School.objects.filter(is_skm=True).count() == 3159
    assert School.objects.filter(level="primary").count() == 7777
    assert School.objects.filter(has_ppki=True).count() == 2820
    assert get_user_model().objects.filter(school__isnull=False).count() == 2 * 10239
    capsys.readouterr()
    call_command("import_schools", school_list_path)
    assert (
        "created: 0, updated: 0, unchanged: 10239, accounts created: 0" in capsys.readouterr().out
    )
