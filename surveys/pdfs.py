"""SSQS's printable documents, one function each: slips, certificate, respondent's form."""

from django.utils import timezone

from ssqs_portal.pdf import Document, render_pdf_bytes

from .presenters import domain_view, result_view


def slips(*, school, cycle, respondents, login_url: str, request=None) -> Document:
    """Return the roster as cut-out slips, one per respondent tag."""
    context = {
        "school": school,
        "cycle": cycle,
        "respondents": respondents,
        "login_url": login_url,
        "printed_at": timezone.localtime(),
    }
    return Document(
        render_pdf_bytes("surveys/pdf/slips.html", context, request),
        f"ssqs-{cycle.year}-{school.code}-slip.pdf",
    )


def certificate(*, school, cycle, rating, lang: str, own_school=False, request=None) -> Document:
    """Return the school's star certificate for a final rating."""
    context = {
        "school": school,
        "cycle": cycle,
        "rating": rating,
        "view": result_view(cycle.instrument.spec, rating, lang, own_school=own_school),
    }
    return Document(
        render_pdf_bytes("surveys/pdf/certificate.html", context, request),
        f"ssqs-{cycle.year}-{school.code}-sijil.pdf",
    )


def respondent_form(*, respondent, answers: dict, lang: str, request=None) -> Document:
    """Return a respondent's filled form, every domain of their category."""
    spec = respondent.cycle.instrument.spec
    sections = [
        domain_view(
            spec, d, spec.questions_in(d.code, respondent.category), answers, None, None, lang
        )
        for d in spec.domains_for(respondent.category)
    ]
    context = {
        "respondent": respondent,
        "school": respondent.school,
        "cycle": respondent.cycle,
        "sections": sections,
        "printed_at": timezone.localtime(),
    }
    return Document(
        render_pdf_bytes("surveys/pdf/respondent_form.html", context, request),
        f"ssqs-{respondent.cycle.year}-{respondent.school.code}-{respondent.tag}.pdf",
    )
