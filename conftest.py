from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
SCHOOL_LIST = SHARED_DATA / "schools" / "SenaraiSekolahWeb_Julai2025.csv"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school_list_path():
    if not SCHOOL_LIST.exists():
        pytest.skip(f"the ministry's school list is not at {SCHOOL_LIST} (../shared/data absent)")
    return SCHOOL_LIST
