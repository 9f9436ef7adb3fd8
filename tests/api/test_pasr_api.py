"""PASR through the read API: counts per construct and node, never a candidate, small
cells held back exactly as on the dashboards (domain.md 1.2)."""

import pytest

from tests.pasr.test_reports import _two_schools_rated, teacher  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _construct(node, code="P1-BM-1"):
    return next(c for c in node["constructs"] if c["code"] == code)


def test_pasr_nodes_hold_back_small_cells(world, teacher, make_key, api_get):  # noqa: F811
    _two_schools_rated(world, teacher)
    response = api_get("pasr/years/2026/nodes?limit=500", make_key("KPM"))
    assert response.status_code == 200
    nodes = {n["code"]: n for n in response.json()["items"]}
    # National: 1 Kompeten Terpuji, 6 Kompeten, 0 Belum Kompeten: the 1 and the 6 held back.
    national = {c["level"]["code"]: c for c in _construct(nodes["KPM"])["levels"]}
    assert national["kompeten_terpuji"] == {
        **national["kompeten_terpuji"], "count": None, "share": None, "held_back": True,
    }  # fmt: skip
    assert national["kompeten"]["held_back"] and national["belum_kompeten"]["count"] == 0
    assert _construct(nodes["KPM"])["verified"] == 7
    # District D2 (school B: 5 Kompeten) shows its figures.
    d2 = {c["level"]["code"]: c for c in _construct(nodes[world.d2.code])["levels"]}
    assert d2["kompeten"] == {**d2["kompeten"], "count": 5, "share": 100.0, "held_back": False}
    body = response.content.decode()
    assert "candidate_id" not in body and "name_on" not in body
    assert _construct(nodes["KPM"])["name"]["ms"] and _construct(nodes["KPM"])["name"]["en"]


def test_pasr_nodes_follow_the_keys_scope(world, teacher, make_key, api_get):  # noqa: F811
    _two_schools_rated(world, teacher)
    items = api_get("pasr/years/2026/nodes", make_key(world.d1.code)).json()["items"]
    assert [n["code"] for n in items] == [world.d1.code]
    assert api_get("pasr/years/2026/nodes", make_key("KPM", ["ssqs"])).status_code == 403
