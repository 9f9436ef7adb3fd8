"""Links between the skills pages: each person reaches what they may do by clicking, and sees
no link to what they may not (issue 16: a centre, its intakes, an intake's acts, a certificate).
"""

import pytest
from django.urls import reverse

from skills import pdfs, rules
from skills.services import certificates as services

from .certificate_helpers import ALL_COMPETENT, enrol, intake_of, trainee

PEOPLE = ("centre_admin_a", "assessor_ab", "verifier", "cert_officer", "admin")


@pytest.fixture
def skills_world(world, skills_world):
    """The skills world with the ministry's administrator beside its own people."""
    skills_world.users = {**skills_world.users, "admin": world.users["admin"]}
    return skills_world


def _page(login, sw, persona, url):
    response = login(sw.users[persona]).get(url)
    assert response.status_code == 200, (persona, url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "intakes", "open_intake", "apply"),
    [
        ("centre_admin_a", True, True, True),
        ("assessor_ab", True, False, False),
        ("verifier", True, False, False),
        ("cert_officer", True, False, False),
        ("admin", True, False, False),
    ],
)
def test_the_centre_page_links_its_intakes_and_what_the_person_may_start(
    skills_world, login, persona, intakes, open_intake, apply
):
    sw = skills_world
    page = _page(login, sw, persona, reverse("skills:centre", args=[sw.centre_a.code]))
    assert (f'href="{reverse("skills:intakes", args=[sw.centre_a.code])}"' in page) is intakes
    assert (f'href="{reverse("skills:intake_new", args=[sw.centre_a.code])}"' in page) is (
        open_intake
    )
    assert (f'href="{reverse("skills:apply", args=[sw.centre_a.code])}"' in page) is apply


def _intake_links(sw, intake):
    code, pk = sw.centre_a.code, intake.pk
    return {
        "results": reverse("skills:results", args=[code, pk]),
        "submit": reverse("skills:intake_submit", args=[code, pk]),
        "assign": reverse("skills:intake_assign", args=[code, pk]),
        "verify": reverse("skills:verify", args=[pk]),
        "certify": reverse("skills:intake_certify", args=[code, pk]),
    }


# Who sees which link on an intake, by its state (the access rule of each target page).
INTAKE_LINKS = {
    rules.INTAKE_OPEN: {"centre_admin_a": {"submit"}, "assessor_ab": {"results"},
                        "verifier": set(), "cert_officer": {"assign"}, "admin": {"assign"}},
    rules.INTAKE_SUBMITTED: {"centre_admin_a": set(), "assessor_ab": set(),
                             "verifier": {"verify"}, "cert_officer": {"assign"},
                             "admin": {"assign"}},
    rules.INTAKE_VERIFIED: {"centre_admin_a": set(), "assessor_ab": set(), "verifier": set(),
                            "cert_officer": {"certify"}, "admin": set()},
}  # fmt: skip


@pytest.mark.parametrize("state", list(INTAKE_LINKS))
def test_the_intake_page_links_each_act_to_who_may_do_it(skills_world, login, state):
    sw = skills_world
    intake = intake_of(sw, state=state)
    links = _intake_links(sw, intake)
    for persona, expected in INTAKE_LINKS[state].items():
        page = _page(login, sw, persona, reverse("skills:intake", args=[sw.centre_a.code,
                                                                        intake.pk]))  # fmt: skip
        shown = {name for name, url in links.items() if f'href="{url}"' in page}
        assert shown == expected, persona
        # Each link shown opens for that person.
        for name in shown:
            response = login(sw.users[persona]).get(links[name])
            assert response.status_code == 200, (persona, name)


def test_the_intake_page_lists_its_certificates_for_everyone_who_sees_it(skills_world, login):
    sw = skills_world
    intake = intake_of(sw)
    certificate = services.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake, trainee(), ALL_COMPETENT), by=sw.users["cert_officer"]
    ).certificate
    url = reverse("skills:intake", args=[sw.centre_a.code, intake.pk])
    for persona in PEOPLE:
        page = _page(login, sw, persona, url)
        target = reverse("skills:certificate", args=[certificate.pk])
        assert f'href="{target}"' in page, persona
        assert login(sw.users[persona]).get(target).status_code == 200, persona


def test_the_certificate_page_links_its_pdf_check_qr_and_intake(skills_world, login):
    sw = skills_world
    intake = intake_of(sw)
    certificate = services.certificates_issue_for_enrolment(
        enrolment=enrol(sw, intake, trainee(), ALL_COMPETENT), by=sw.users["cert_officer"]
    ).certificate
    url = reverse("skills:certificate", args=[certificate.pk])
    token = reverse("skills:check_token", kwargs={"token": pdfs.check_token(certificate)})
    for persona in PEOPLE:
        page = _page(login, sw, persona, url)
        assert f'href="{reverse("skills:certificate_pdf", args=[certificate.pk])}"' in page
        assert f'href="{reverse("skills:check")}?no={certificate.reference}"' in page
        assert token in page
        assert f'href="{reverse("skills:intake", args=[sw.centre_a.code, intake.pk])}"' in page
        acts = 'data-action="revoke"' in page and 'data-action="reissue"' in page
        certify = reverse("skills:intake_certify", args=[sw.centre_a.code, intake.pk])
        assert acts is (persona == "cert_officer"), persona
        assert (f'href="{certify}"' in page) is (persona == "cert_officer"), persona


def test_the_body_reaches_each_centre_from_its_accreditations(skills_world, login):
    sw = skills_world
    page = _page(login, sw, "cert_officer", reverse("skills:accreditations"))
    for centre in (sw.centre_a, sw.centre_b):
        assert f'href="{reverse("skills:centre", args=[centre.code])}"' in page


def test_the_intake_pages_lead_back_to_the_centre(skills_world, login):
    sw = skills_world
    intake = intake_of(sw, state=rules.INTAKE_OPEN)
    centre = f'href="{reverse("skills:centre", args=[sw.centre_a.code])}"'
    for url in (reverse("skills:intakes", args=[sw.centre_a.code]),
                reverse("skills:intake", args=[sw.centre_a.code, intake.pk]),
                reverse("skills:intake_submit", args=[sw.centre_a.code, intake.pk])):  # fmt: skip
        assert centre in _page(login, sw, "centre_admin_a", url), url
