"""PPT in Chromium: an experienced worker's application, from its evidence to the certificate
anyone can check (issue 17: "a Chromium test of a PPT application from evidence to
certificate").

The centre's administrator makes the application (sent by an agency), uploads a file for
each CU (a renamed program is refused first), and submits it; the assessor judges each CU
with a practical assessment and sends it on; the body assigns the PPL, who reads the
evidence from the verification page and approves; the certification officer issues the
certificate; a logged-out visitor checks its number: valid, SKM3.

Then axe-core walks the PPT pages each role uses, in Malay and English, at 1280 and 390 px
(0 serious or critical), and none scrolls sideways at 390 px.
"""

import pytest
from playwright.sync_api import expect

from skills.models import Certificate, PptApplication
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility_browser import Walk
from tests.browser.test_foundation_browser import login
from tests.browser.test_skills_browser import _no_sideways_scroll
from tests.skills import conftest as skills_conftest
from tests.skills.ppt_helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)
skills_world = skills_conftest.skills_world

ID_NUMBER = "780412-10-5511"


def test_a_ppt_application_from_evidence_to_the_public_check(skills_world, browser, live_server):
    sw = skills_world
    ARTIFACTS.mkdir(exist_ok=True)
    evidence = ARTIFACTS / "ppt-surat-majikan.pdf"
    evidence.write_bytes(PDF)
    renamed = ARTIFACTS / "ppt-program.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    walk = Walk(browser, live_server)
    centre = f"/kemahiran/pusat/{sw.centre_a.code}/"

    # The centre's administrator makes the application from the centre's page.
    context, page = walk.context()
    login(page, sw.users["centre_admin_a"].username)
    page.goto(centre)
    page.click("a[data-link=ppt]")
    page.click("a[data-action=ppt-new]")
    page.select_option("select[name=accreditation]", str(sw.accreditation_a.pk))
    page.check("input[name=mode][value=full]")
    page.fill("input[name=id_number]", ID_NUMBER)
    page.fill("input[name=name]", "Zainal Abidin bin Karim")
    page.check("input[name=channel][value=agency]")
    page.fill("input[name=agency]", "Agensi Pekerjaan JobsMalaysia Shah Alam")
    page.fill("input[name=years]", "14")
    page.fill("textarea[name=experience]", "Juruteknik aplikasi di Syarikat Data Nusantara.")
    page.click("form[data-form=ppt-new] button[type=submit]")
    expect(page.locator("[data-ppt-stage]")).to_have_attribute("data-ppt-stage", "draft")
    application = PptApplication.objects.get()
    assert "780412105511" not in page.locator("main").inner_text()

    # A program renamed .pdf is refused; a real file for each CU is kept.
    page.select_option("form[data-form=ppt-evidence] select[name=unit]", str(sw.units[0].pk))
    page.set_input_files("form[data-form=ppt-evidence] input[name=file]", str(renamed))
    page.click("form[data-form=ppt-evidence] button[type=submit]")
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    assert application.evidence.count() == 0
    for unit in sw.units:
        page.select_option("form[data-form=ppt-evidence] select[name=unit]", str(unit.pk))
        page.set_input_files("form[data-form=ppt-evidence] input[name=file]", str(evidence))
        page.fill("form[data-form=ppt-evidence] input[name=description]", "Surat majikan")
        page.click("form[data-form=ppt-evidence] button[type=submit]")
        expect(page.locator(f"tr[data-unit='{unit.code}']")).to_have_attribute("data-files", "1")
    page.screenshot(path=str(ARTIFACTS / "80-ppt-draft.png"), full_page=True)
    page.click("button[data-action=ppt-submit]")
    expect(page.locator("[data-ppt-stage]")).to_have_attribute("data-ppt-stage", "assessment")
    context.close()
    application.refresh_from_db()
    detail = centre + f"ppt/{application.pk}/"

    # The assessor judges every CU with a practical assessment, recorded, and sends it on.
    context, page = walk.context()
    login(page, sw.users["assessor_ab"].username)
    page.goto(detail)
    page.click("a[data-action=ppt-judge]")
    for unit in sw.units:
        page.select_option(f"select[name=o-{unit.pk}]", "competent")
        page.select_option(f"select[name=m-{unit.pk}]", "practical")
        page.fill(f"textarea[name=r-{unit.pk}]", "Membina modul di hadapan PP; lengkap.")
    page.screenshot(path=str(ARTIFACTS / "81-ppt-judge.png"), full_page=True)
    page.click("button[data-action=ppt-send]")
    expect(page.locator("[data-ppt-stage]")).to_have_attribute("data-ppt-stage", "verification")
    context.close()

    # The body assigns the PPL.
    context, page = walk.context()
    login(page, sw.users["cert_officer"].username)
    page.goto(detail)
    page.click("a[data-action=assign]")
    page.select_option("select[name=verifier]", str(sw.users["verifier"].pk))
    page.click("form[data-form=intake-assign] button[type=submit]")
    context.close()

    # The PPL opens the application from the verification page, reads a file, approves.
    context, page = walk.context()
    login(page, sw.users["verifier"].username)
    page.goto("/kemahiran/verifikasi/")
    page.click(f"tr[data-intake='{application.reference}'] a")
    page.click("[data-ppt-intake] a")
    expect(page.locator("[data-ppt-stage]")).to_have_attribute("data-ppt-stage", "verification")
    href = page.get_attribute(f"tr[data-unit='{sw.units[0].code}'] [data-evidence] a", "href")
    download = page.request.get(href)
    assert download.ok and download.body() == PDF
    assert download.headers["content-disposition"].startswith("attachment")
    page.click("a[data-action=verify]")
    page.check("input[name=scope][value=all]")
    page.fill("textarea[name=findings]", "Bukti dan rekod amali setiap CU disemak.")
    page.check("input[name=decision][value=approved]")
    page.click("form[data-form=verify] button[type=submit]")
    context.close()

    # The certification officer issues the certificate: the core's rule, an SKM level 3.
    context, page = walk.context()
    login(page, sw.users["cert_officer"].username)
    page.goto(detail)
    page.click("button[data-action=ppt-certify]")
    expect(page.locator("[data-ppt-stage]")).to_have_attribute("data-ppt-stage", "certified")
    certificate = Certificate.objects.get(intake=application.intake)
    assert certificate.kind == "SKM3"
    page.screenshot(path=str(ARTIFACTS / "82-ppt-certified.png"), full_page=True)
    context.close()

    # Anyone checks it.
    context = browser.new_context(locale="ms-MY", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/sijil/semak/?no={certificate.reference}")
    result = page.locator("#certificate-result")
    expect(result).to_have_attribute("data-status", "valid")
    expect(result).to_have_attribute("data-level", "SKM3")
    context.close()

    # axe on the PPT pages, both languages, both widths; none scrolls sideways.
    judging = PptApplication.objects.create(
        centre=sw.centre_a, accreditation=sw.accreditation_a, trainee=sw.trainee, mode="full",
        experience="Tukang kimpal.", years=5, created_by=sw.users["centre_admin_a"],
        reference="PPT-2026-999999",
    )  # fmt: skip
    judging.units.set(sw.units)
    pages = [
        ("centre_admin_a", [(centre + "ppt/", "ppt list"), (centre + "ppt/baru/", "ppt new"),
                            (detail, "ppt certified"),
                            (centre + f"ppt/{judging.pk}/", "ppt draft")]),
        ("cert_officer", [("/kemahiran/ppt/", "ppt desk"), (detail, "ppt body")]),
        ("verifier", [(detail, "ppt verifier")]),
        ("trainee", [("/kemahiran/saya/", "trainee page with ppt")]),
    ]  # fmt: skip
    for persona, paths in pages:  # each page in both languages, at both widths
        context, page = walk.context()
        login(page, sw.users[persona].username)
        for path, label in paths:
            walk.visit(page, path, label)
            _no_sideways_scroll(page, label)
            if label == "ppt draft":  # English, as visit leaves it
                page.screenshot(path=str(ARTIFACTS / "83-ppt-draft-390-en.png"), full_page=True)
        context.close()
    walk.assert_clean()
