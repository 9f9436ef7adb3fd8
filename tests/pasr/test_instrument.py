"""The PASR instruments as data: exactly the constructs of seed 002, 4.4 and 4.5."""

import copy

import pytest
import yaml

from pasr import rules
from pasr.instrument import DIRECTORY, InstrumentError, instrument, parse

# Seed 002, 4.4 "Apakah yang diukur dalam Instrumen ProKhas 1?" and 4.5 (ProKhas 2),
# subject by subject, in the seed's words and order.
SEED = {
    "prokhas1": [
        ("Kemahiran Literasi (Bahasa Melayu)", ["Kemahiran Mendengar", "Kemahiran Menulis",
         "Kemahiran Membaca dan Memahami Maklumat", "Kemahiran Bertutur"]),
        ("Kemahiran Numerasi (Matematik)", ["Kemahiran Asas Matematik",
         "Kemahiran Aplikasi Matematik"]),
        ("Kemahiran Hidup Asas (Kemahiran Hidup)", ["Pengetahuan dan Kefahaman",
         "Kemahiran Aplikasi", "Kemahiran Berfikir Secara Kritis dan Kreatif"]),
        ("Nilai", ["Amalan Nilai Positif Bermasyarakat"]),
    ],
    "prokhas2": [
        ("Kemahiran Literasi (Bahasa Inggeris)", ["Kemahiran Mendengar", "Kemahiran Menulis",
         "Kemahiran Membaca dan Memahami Maklumat", "Kemahiran Bertutur"]),
        ("Kemahiran Hidup Asas Sains", ["Pengetahuan dan Kefahaman", "Kemahiran Proses Sains",
         "Kemahiran Aplikasi Sains", "Kemahiran Komunikasi dan Interaksi Sosial",
         "Kemahiran Berfikir Secara Kritis dan Kreatif"]),
        ("Nilai", ["Amalan Nilai Positif Kendiri"]),
    ],
}  # fmt: skip


def test_the_instruments_hold_exactly_the_seeds_constructs():
    found = {
        i.code: [(s.name_in("ms"), [c.name_in("ms") for c in s.constructs]) for s in i.subjects]
        for i in instrument().instruments
    }
    assert found == SEED
    assert len(instrument().constructs) == 20
    assert all(c.name_in("en") for c in instrument().constructs)


def test_kemahiran_hidup_offers_the_four_components_of_seed_2_2():
    kh = next(s for s in instrument().get("prokhas1").subjects if s.code == "KH")
    assert tuple(code for code, _names in kh.components) == rules.KH_COMPONENTS
    assert kh.component_name("jahitan", "ms") == "Jahitan"


def _data():
    return yaml.safe_load((DIRECTORY / "pasr-v1.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["instruments"].pop(), "instruments must be prokhas1, prokhas2"),
        (lambda d: d["instruments"][0]["subjects"][0]["constructs"].append(
            {"code": "P1-BM-1", "name": {"ms": "x", "en": "x"}}), "appears twice"),
        (lambda d: d["instruments"][1]["subjects"][0]["constructs"][0].update(code="P1-ZZ-9"),
         "is not in prokhas2"),
        (lambda d: d["instruments"][0]["subjects"][1]["constructs"][0]["name"].pop("en"),
         "needs a Malay and an English name"),
        (lambda d: d["instruments"][0]["subjects"][2]["components"].pop(), "components must be"),
        (lambda d: d["instruments"][0]["subjects"][3].update(constructs=[]),
         "at least one construct"),
        (lambda d: d.update(version="one"), "whole-number 'version'"),
    ],
)  # fmt: skip
def test_a_broken_instrument_file_is_refused_naming_the_fault(change, message):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(InstrumentError) as raised:
        parse(data)
    assert message in str(raised.value)
