"""The respondent slips (issue 13, item 14): no blank page, whole sentences, quick."""

from django.template.loader import render_to_string


def pages_text(response):
    """Return the text of each page of the PDF the response was rendered from."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    keys = ("school", "cycle", "respondents", "login_url", "printed_at")
    html = render_to_string("surveys/pdf/slips.html", {k: response.context[k] for k in keys})
    document = HTML(string=html).render()
    return [
        " ".join(b.text for b in page._page_box.descendants() if isinstance(b, TextBox))
        for page in document.pages
    ]


def test_the_slips_have_no_blank_page_and_say_whole_sentences(world, real_cycle, login):
    response = login(world.users["coord_a"]).get("/ssqs/responden/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_text(response)
    # 62 respondents: the roster on 2 pages, then 8 slips a page on 8 more.
    assert len(pages) == 10
    assert all(text.strip() for text in pages)
    slips = " ".join(pages[2:])
    assert slips.count("Log masuk dengan kod sekolah BBA0001R dan kata laluan") == 62
    assert slips.count("Buka http://testserver/login/.") == 62
    assert "kata laluan: daripada" not in slips  # the old fragments
