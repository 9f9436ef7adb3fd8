"""Skills people land where they work after logging in, and find their pages in the menu."""

import pytest


@pytest.mark.parametrize(
    ("persona", "lands"),
    [
        ("centre_admin_a", "/kemahiran/pusat/PB-A001/"),
        ("assessor_ab", "/kemahiran/"),  # two centres: both are listed there
        ("verifier", "/kemahiran/verifikasi/"),
        ("cert_officer", "/kemahiran/pentauliahan/"),
        ("trainee", "/kemahiran/saya/"),
    ],
)
def test_the_portals_home_sends_each_skills_person_where_they_work(skills_world, login, persona,
                                                                   lands):  # fmt: skip
    client = login(skills_world.users[persona])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == lands
    assert response.status_code == 200


def test_the_assessor_of_two_centres_sees_both_and_the_menu_leads_there(skills_world, login):
    page = login(skills_world.users["assessor_ab"]).get("/kemahiran/").content.decode()
    assert 'data-centre="PB-A001"' in page and 'data-centre="PB-B002"' in page
    assert 'href="/kemahiran/"' in page  # the menu's "Skills certification"


def test_every_page_links_the_public_certificate_check_and_the_registry(client, db):
    page = client.get("/login/").content.decode()
    assert 'href="/sijil/semak/"' in page and 'href="/kemahiran/noss/"' in page
