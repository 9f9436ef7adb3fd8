"""Exports a spreadsheet opens: nothing a user typed runs there as a formula."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ssqs_portal.exports import neutralise

EVIL = '=HYPERLINK("http://x","y")'


def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_numbers_stay_numbers():
    for text in (EVIL, "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(text) == "'" + text
    for plain in ("SK ALFA", "", "1-2", "a=b"):
        assert neutralise(plain) == plain
    for number in (-1, 0, 3, Decimal("-2.5"), -0.5):
        assert neutralise(number) == number
    when = datetime.datetime(2026, 1, 1)
    assert neutralise(when) is when


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_escaped(client, url):
    """Both downloads of ``url`` carry the school's name as inert text; returns the XLSX cells."""
    response = client.get(url, {"format": "csv"})
    assert "no-store" in response["Cache-Control"]
    names = [row[1] for row in _csv_rows(response)]
    assert "'" + EVIL in names and EVIL not in names
    response = client.get(url, {"format": "xlsx"})
    assert "no-store" in response["Cache-Control"]
    cells = _xlsx_cells(response)
    named = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(named) == 1
    assert named[0].value == "'" + EVIL and named[0].data_type == "s"
    return cells


def test_a_school_named_as_a_formula_is_exported_as_text_by_monitoring(world, mini_cycle, login):
    from monitoring.rollups import rollups_rebuild

    world.a.name = EVIL
    world.a.save(update_fields=["name"])
    rollups_rebuild(cycle_id=mini_cycle.pk)
    client = login(world.users["officer_s1"])
    url = "/pemantauan/state/SGR/sekolah/"
    cells = _assert_escaped(client, url)
    # The counts are still numbers a spreadsheet can add up.
    assert 62 in [c.value for c in cells if c.data_type == "n"]


@pytest.fixture
def pibk_day(monkeypatch):
    monkeypatch.setattr("pibk.services.today", lambda: datetime.date(2026, 11, 20))


def test_a_school_named_as_a_formula_is_exported_as_text_by_pibk(world, login, pibk_day):
    from pibk.family_register import register_import
    from pibk.rollups import rollups_rebuild
    from pibk.services import school_year_ensure
    from tests.pibk.conftest import csv_bytes

    world.a.name = EVIL
    world.a.save(update_fields=["name"])
    school_year = school_year_ensure(school=world.a, year=2026)
    register_import(
        school_year=school_year,
        data=csv_bytes(),
        filename="d.csv",
        on=datetime.date(2026, 1, 15),
    )
    rollups_rebuild(year=2026)
    client = login(world.users["officer_s1"])
    url = "/pibk/pemantauan/state/SGR/sekolah/"
    _assert_escaped(client, url)
