"""Reading a family register: all rows or none, every problem named by row and column."""

import io

import pytest

from pibk.importing import parse_register
from tests.pibk.conftest import PRIMARY_CSV


def test_a_register_gives_families_with_their_pupils():
    result = parse_register(PRIMARY_CSV.encode(), "daftar.csv", "primary")
    assert not result.errors
    assert [(f.key, len(f.pupils)) for f in result.families] == [
        ("K1", 2), ("K2", 1), ("K3", 1), ("K4", 1),
    ]  # fmt: skip
    irfan = result.families[0].pupils[1]
    assert (irfan.year_group, irfan.sports, irfan.award) == ("6", True, True)


def test_english_headers_semicolons_and_a_bom_are_read():
    text = "\ufeffFamily ID;Guardian;Pupil;Form;Class;Sports;Award\nf9;Lee;Wei;Form 1;1A;Y;N\n"
    result = parse_register(text.encode(), "register.csv", "secondary")
    assert not result.errors
    assert result.families[0].key == "F9" and result.families[0].pupils[0].year_group == "T1"


def test_an_excel_register_is_read():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID_KELUARGA", "NAMA_MURID", "TINGKATAN"])
    sheet.append(["K7", "Siti", "Peralihan"])
    sheet.append(["K7", "Zul", 5])
    data = io.BytesIO()
    book.save(data)
    result = parse_register(data.getvalue(), "daftar.xlsx", "secondary")
    assert not result.errors
    assert [p.year_group for p in result.families[0].pupils] == ["PER", "T5"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("NAMA_MURID,TAHUN\nA,1\n", "row 1, ID_KELUARGA: required column is missing"),
        ("ID_KELUARGA,NAMA_MURID,TAHUN,WARNA\nK1,A,1,merah\n", "row 1, WARNA: unknown column"),
        ("ID_KELUARGA,NAMA_MURID,TAHUN\nK1,A,7\n", "row 2, TAHUN: '7' is not a year"),
        ("ID_KELUARGA,NAMA_MURID,TAHUN\n,A,1\n", "row 2, ID_KELUARGA: the family identifier"),
        ("ID_KELUARGA,NAMA_MURID,TAHUN\nK1,,1\n", "row 2, NAMA_MURID: the pupil's name is blank"),
        ("ID_KELUARGA,NAMA_MURID,TAHUN,SUKAN\nK1,A,1,mungkin\n", "row 2, SUKAN: 'mungkin'"),
        (
            "ID_KELUARGA,NAMA_PENJAGA,NAMA_MURID,TAHUN\nK1,Ali,A,1\nK1,Abu,B,2\n",
            "row 3, NAMA_PENJAGA: family K1 is also given as 'Ali'",
        ),
        (
            "ID_KELUARGA,NAMA_MURID,TAHUN\nK1,A,1\nK1,a,1\n",
            "row 3, NAMA_MURID: the same pupil is already on row 2",
        ),
        ("ID_KELUARGA,NAMA_MURID,TAHUN\n", "the file has no pupils"),
        ("", "the file is empty"),
    ],
)
def test_every_problem_is_named_and_nothing_is_half_read(text, where):
    if text.count("\n") > 1 and text.startswith("ID_KELUARGA,NAMA_MURID,TAHUN\n"):
        text += "K9,Good,2\n"  # a good row beside the bad one is not imported either
    result = parse_register(text.encode(), "daftar.csv", "primary")
    assert result.families == []
    assert any(where in str(e) for e in result.errors), [str(e) for e in result.errors]


def test_a_garbled_excel_file_gets_one_clear_message():
    result = parse_register(b"not a zip", "daftar.xlsx", "primary")
    assert result.families == [] and "Excel" in str(result.errors[0])
