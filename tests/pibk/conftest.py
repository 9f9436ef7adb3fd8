import datetime

import pytest

# A day when the November windows (E, F and KPI 2) are open and the others closed.
DAY = datetime.date(2026, 11, 20)

PRIMARY_CSV = """ID_KELUARGA,NAMA_PENJAGA,NAMA_MURID,TAHUN,KELAS,SUKAN,ANUGERAH
K1,Aminah Ali,Aisyah,1,1 Bestari,TIDAK,TIDAK
K1,Aminah Ali,Irfan,6,6 Cemerlang,YA,YA
K2,Tan Ah Kow,Mei Ling,1,1 Bestari,YA,
K3,Kavitha Raj,Arjun,3,3 Dedikasi,,
K4,Hassan Osman,Hana,6,6 Cemerlang,TIDAK,YA
"""


@pytest.fixture
def day(monkeypatch):
    """Fix the portal's today (services.today) at DAY."""
    monkeypatch.setattr("pibk.services.today", lambda: DAY)
    return DAY


def csv_bytes(text=PRIMARY_CSV):
    return text.encode()
