"""A NUL character in an address or a query is refused with a 400 naming it."""

import pytest


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/sekolah/?q=ab%00cd", "“q”"),
        ("/sekolah/?district=%00", "“district”"),
        ("/pemantauan/district/SGR-PETALING/sekolah/?q=%00", "“q”"),
        ("/pibk/pemantauan/district/SGR-PETALING/sekolah/?q=x%00", "“q”"),
        ("/pibk/pemantauan/district/SGR-PETALING/?year=2026%00", "“year”"),
    ],
)
def test_a_nul_in_a_query_parameter_is_refused_naming_the_parameter(world, login, url, named):
    client = login(world.users["officer_s1"])
    client.cookies["ssqs_language"] = "en"
    response = client.get(url)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/sekolah/BBA%000001/", "/pemantauan/district/SGR%00/", "/ssqs/sekolah/%00/"]
)
def test_a_nul_in_the_address_is_refused(world, login, url):
    response = login(world.users["national"]).get(url)
    assert response.status_code == 400
    assert 'data-error="400"' in response.content.decode()


def test_a_post_to_an_address_with_a_nul_changes_nothing(world, real_cycle, login):
    from core.review.models import ReviewEvent as SchoolReview

    response = login(world.users["national"]).post(
        "/pemantauan/semak/BBA%000001/", {"decision": "verified"}
    )
    assert response.status_code == 400
    assert not SchoolReview.objects.exists()


def test_a_query_without_nul_passes(world, login):
    response = login(world.users["officer_s1"]).get("/sekolah/", {"q": "ALFA"})
    assert response.status_code == 200
