"""Skills certification in Chromium, from a centre's application to the public check of the
certificate it leads to, through the QR code's link (issue 16).

A centre applies for accreditation, the body approves, the centre opens an intake and enrols
a trainee, the assessor records every CU competent, the centre submits, the body assigns the
PPL, the PPL approves, the certification officer issues (the background batch runs
in-process: no broker in tests), the certificate PDF opens, and the QR code's address (read
from the certificate page, and checked against the QR drawn in the PDF) opens in a fresh,
logged-out browser: valid, its level, and the holder's identity number confirmed.

Then axe-core walks the skills pages each role uses, in Malay and English, at 1280 and 390 px
(0 serious or critical), and no page scrolls sideways at 390 px.
"""

import subprocess

import pytest
from playwright.sync_api import expect

from skills.models import Accreditation, Certificate, CompetencyUnit, Intake, Standard
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility_browser import Walk
from tests.browser.test_foundation_browser import login
from tests.skills import conftest as skills_conftest
from tests.skills.training_factories import approve_personnel

pytestmark = pytest.mark.django_db(transaction=True)
skills_world = skills_conftest.skills_world  # the skills tests' world, as a fixture here

ID_NUMBER = "020202-14-5678"
NAME = "Nur Aisyah Humaira binti Mohd Khairul Anuar Syafiq"


def _no_sideways_scroll(page, label):
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{label} is {width} px wide at 390 px"


def _standard(sw):
    standard = Standard.objects.create(
        code="J620-003-3:2021", title_ms="Pembangunan Perisian", title_en="Software Development",
        sector=sw.sector, level=3, version="2021", is_demo=True,
    )  # fmt: skip
    for i, (ms, en) in enumerate((("Analisis Keperluan", "Requirement Analysis"),
                                  ("Reka Bentuk Aplikasi", "Application Design"),
                                  ("Pengaturcaraan", "Programming")), start=1):  # fmt: skip
        CompetencyUnit.objects.create(standard=standard, code=f"J620-003-3:2021-C0{i}",
                                      title_ms=ms, title_en=en, hours=80, order=i)  # fmt: skip
    return standard


def _qr_drawn(pdf_path):
    """The modules of the QR code drawn in the PDF (extracted with pdfimages), as rows of bools."""
    from PIL import Image

    for old in ARTIFACTS.glob("skills-qr-*.png"):
        old.unlink()
    subprocess.run(["pdfimages", "-png", str(pdf_path), str(ARTIFACTS / "skills-qr")], check=True)
    drawn = []
    for path in sorted(ARTIFACTS.glob("skills-qr-*.png")):
        image = Image.open(path).convert("L")
        scale = 4  # skills.pdfs draws it at 4 pixels a module, with a 2-module border
        size = image.width // scale - 4
        if image.width != image.height or image.width % scale:
            continue
        drawn.append([
            [image.getpixel(((2 + x) * scale + scale // 2, (2 + y) * scale + scale // 2)) < 128
             for x in range(size)]
            for y in range(size)
        ])  # fmt: skip
    return drawn


def _qr_matches(pdf_path, url):
    """Whether the PDF's QR code carries ``url`` (the check of the same certificate version).

    The token is signed without a timestamp, so a version's QR is always the same: the
    page's address is drawn again as a QR and compared module by module with the PDF's.
    """
    import segno

    drawn = _qr_drawn(pdf_path)
    matrix = segno.make(url, error="m").matrix
    return [[bool(m) for m in row] for row in matrix] in drawn


def test_from_application_to_the_public_check_through_the_qr_code(
    skills_world, browser, live_server
):
    sw = skills_world
    standard = _standard(sw)
    # Serving needs an approval for the standard (Modul Personel): the assessor as PP, the
    # verifier as PPL.
    approve_personnel(sw.users["assessor_ab"], "pp", standard)
    approve_personnel(sw.users["verifier"], "ppl", standard)
    ARTIFACTS.mkdir(exist_ok=True)
    walk = Walk(browser, live_server)
    centre = f"/kemahiran/pusat/{sw.centre_a.code}/"

    # The centre's administrator applies for the standard, full.
    context, page = walk.context()
    login(page, sw.users["centre_admin_a"].username)
    page.goto("/kemahiran/")
    expect(page).to_have_url(live_server.url + centre)
    page.click("a[data-link=apply]")
    page.select_option("select[name=standard]", standard.code)
    page.click("main form[method=get] button[type=submit]")
    page.check("input[name=mode][value=full]")
    page.fill("textarea[name=note]", "Makmal komputer 30 unit; dua PP bertauliah.")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator(f"[data-standard='{standard.code}']")).to_have_attribute(
        "data-state", "applied"
    )
    context.close()
    application = Accreditation.objects.get(centre=sw.centre_a, standard=standard)

    # The body's certification officer approves it from the list.
    context, page = walk.context()
    login(page, sw.users["cert_officer"].username)
    page.goto("/kemahiran/pentauliahan/?state=applied")
    page.click(f"tr[data-accreditation='{application.pk}'] a[href$='/{application.pk}/']")
    page.fill("#approve-conditions", "Nisbah pelatih kepada PP tidak melebihi 10:1.")
    page.click("form[data-act=approve] button[type=submit]")
    expect(page.locator("h1[data-accreditation]")).to_have_attribute("data-state", "approved")
    walk.check(page, "accreditation detail")
    context.close()

    # The centre opens an intake of it and enrols a trainee.
    context, page = walk.context()
    login(page, sw.users["centre_admin_a"].username)
    page.goto(centre)
    page.click("a[data-link=intake-new]")
    page.select_option("select[name=accreditation]", str(application.pk))
    page.fill("input[name=code]", "J620/2026/1")
    page.fill("input[name=starts_on]", sw.today.isoformat())
    page.fill("input[name=ends_on]", sw.today.replace(year=sw.today.year + 1).isoformat())
    page.click("form[data-form=intake-new] button[type=submit]")
    intake = Intake.objects.get(centre=sw.centre_a, code="J620/2026/1")
    page.fill("form[data-form=enrol] input[name=id_number]", ID_NUMBER)
    page.fill("form[data-form=enrol] input[name=name]", NAME)
    page.click("form[data-form=enrol] button[type=submit]")
    expect(page.locator("[data-grid=intake-grid] tr[data-enrolment]")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "70-skills-intake.png"), full_page=True)
    context.close()

    # The assessor records every CU competent.
    context, page = walk.context()
    login(page, sw.users["assessor_ab"].username)
    page.goto(centre + f"pengambilan/{intake.pk}/")
    page.click("a[data-action=results]")
    selects = page.locator("select[name^=r-]")
    expect(selects).to_have_count(3)
    for i in range(3):
        selects.nth(i).select_option("competent")
    page.click("form[data-form=results-grid] button[type=submit]")
    expect(page.locator("select[name^=r-] option[value=competent][selected]")).to_have_count(3)
    walk.check(page, "results grid")
    context.close()

    # The centre submits it for verification.
    context, page = walk.context()
    login(page, sw.users["centre_admin_a"].username)
    page.goto(centre + f"pengambilan/{intake.pk}/")
    page.click("a[data-action=submit]")
    page.click("form[data-form=intake-submit] button[data-action=submit]")
    expect(page.locator("[data-intake-state]")).to_have_attribute("data-intake-state", "submitted")
    context.close()

    # The body assigns the external verifier (PPL).
    context, page = walk.context()
    login(page, sw.users["cert_officer"].username)
    page.goto(centre + f"pengambilan/{intake.pk}/")
    page.click(f"a[href$='/pengambilan/{intake.pk}/ppl/']")
    page.select_option("select[name=verifier]", str(sw.users["verifier"].pk))
    page.click("form[data-form=intake-assign] button[type=submit]")
    expect(page.locator("[data-verifier]")).to_have_attribute(
        "data-verifier", sw.users["verifier"].username
    )
    context.close()

    # The PPL checks every trainee and approves.
    context, page = walk.context()
    login(page, sw.users["verifier"].username)
    page.goto("/kemahiran/")
    page.click(f"tr[data-intake='{intake.code}'] a")
    page.check("input[name=scope][value=all]")
    page.fill("textarea[name=findings]", "Bukti amali dan rekod penilaian lengkap.")
    page.check("input[name=decision][value=approved]")
    page.click("form[data-form=verify] button[type=submit]")
    expect(page.locator(f"tr[data-intake='{intake.code}']")).to_have_attribute(
        "data-state", "verified"
    )
    context.close()

    # The certification officer issues: the batch runs, the certificate is listed.
    context, page = walk.context()
    login(page, sw.users["cert_officer"].username)
    page.goto(centre + f"pengambilan/{intake.pk}/")
    page.click("a[data-action=certify]")
    page.click("button[data-action=issue-certificates]")
    expect(page.locator("#batch-progress")).to_have_attribute("data-status", "done")
    certificate = Certificate.objects.get(intake=intake)
    assert (certificate.kind, certificate.status) == ("SKM3", "valid")
    page.goto(centre + f"pengambilan/{intake.pk}/")
    page.click(f"tr[data-certificate='{certificate.reference}'] a")
    expect(page.locator("h1[data-certificate]")).to_have_attribute("data-level", "SKM3")
    page.screenshot(path=str(ARTIFACTS / "71-skills-certificate.png"), full_page=True)
    walk.check(page, "certificate")

    # The PDF opens; its QR code carries the address the page links as the QR's.
    pdf = page.request.get(page.get_attribute("a[data-download=certificate-pdf]", "href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    pdf_path = ARTIFACTS / "72-skills-certificate.pdf"
    pdf_path.write_bytes(pdf.body())
    qr_url = page.get_attribute("a[data-link=qr-check]", "href")
    assert "/sijil/semak/t/" in qr_url
    assert _qr_matches(pdf_path, qr_url), "the PDF's QR code does not carry the page's address"
    context.close()

    # Anyone, logged out, follows the QR code: valid, SKM3; the identity number matches.
    context = browser.new_context(locale="ms-MY", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(qr_url)
    result = page.locator("#certificate-result")
    expect(result).to_have_attribute("data-status", "valid")
    expect(result).to_have_attribute("data-level", "SKM3")
    expect(result).to_have_attribute("data-certificate", certificate.reference)
    assert "5678" not in page.locator("main").inner_text()  # never the identity number
    page.fill("input[name=id_number]", ID_NUMBER)
    page.click("button[data-action=holder-match]")
    expect(page.locator("#certificate-result")).to_have_attribute("data-holder-match", "true")
    page.screenshot(path=str(ARTIFACTS / "73-skills-public-check.png"), full_page=True)
    _no_sideways_scroll(page, "public check")
    context.close()

    # axe on the skills pages each role uses, both languages, both widths; none scrolls sideways.
    intake_url = centre + f"pengambilan/{intake.pk}/"
    # The assessor's application to assess another standard, waiting for the body.
    from skills.services.personnel import personnel_apply

    Standard.objects.create(code="IT-011-2:2016", title_ms="Sokongan Rangkaian",
                            title_en="Network support", sector=sw.sector, level=2)  # fmt: skip
    personnel = personnel_apply(
        applicant=sw.users["assessor_ab"], role="pp", standard_codes=["IT-011-2:2016"],
        sector=sw.sector, held_level=3, industry_years=6, pp_years=0,
        qualifications="SKM Tahap 3 (2015)",
    )  # fmt: skip
    cert = f"/kemahiran/sijil/{certificate.pk}/"
    pages = [
        ("centre_admin_a", [(centre, "centre"), (centre + "mohon/", "apply"),
                            (centre + f"mohon/?standard={sw.standard.code}", "apply form"),
                            (centre + "pengambilan/", "intakes"),
                            (centre + "pengambilan/baru/", "intake new"),
                            (intake_url, "intake"), (intake_url + "hantar/", "submit"),
                            (intake_url + "muat-naik/", "import"), (cert, "certificate staff"),
                            ("/kemahiran/statistik/", "statistics centre"),
                            ("/kemahiran/laporan-eksekutif/", "executive report centre")]),
        ("centre_admin_b", [(f"/kemahiran/pusat/{sw.centre_b.code}/", "expired centre")]),
        ("assessor_ab", [("/kemahiran/", "assessor home"), (intake_url + "keputusan/", "results"),
                         (intake_url + "keputusan/?trainee="
                          f"{intake.enrolments.get().pk}", "results one trainee"),
                         ("/kemahiran/personel/", "personnel mine"),
                         ("/kemahiran/personel/mohon/", "personnel apply"),
                         (f"/kemahiran/personel/permohonan/{personnel.pk}/",
                          "personnel application")]),
        ("verifier", [("/kemahiran/verifikasi/", "verifications"),
                      (f"/kemahiran/verifikasi/{intake.pk}/", "verify")]),
        ("cert_officer", [("/kemahiran/pentauliahan/", "accreditations"),
                          (f"/kemahiran/pentauliahan/{application.pk}/", "accreditation"),
                          (intake_url + "ppl/", "assign"), (intake_url + "persijilan/", "certify"),
                          (cert, "certificate"), ("/kemahiran/statistik/", "statistics"),
                          ("/kemahiran/personel/meja/", "personnel desk"),
                          (f"/kemahiran/personel/permohonan/{personnel.pk}/",
                           "personnel decide"),
                          ("/kemahiran/laporan-eksekutif/", "executive report")]),
        ("trainee", [("/kemahiran/saya/", "trainee page")]),
        (None, [("/sijil/semak/", "check form"), ("/" + qr_url.split("/", 3)[3], "check"),
                ("/kemahiran/noss/", "registry"), (f"/kemahiran/noss/{standard.code}/",
                                                   "standard")]),
    ]  # fmt: skip
    for persona, paths in pages:
        context, page = walk.context()
        if persona:
            login(page, sw.users[persona].username)
        for path, label in paths:
            walk.visit(page, path, label)
            _no_sideways_scroll(page, label)
        context.close()
    walk.assert_clean()
