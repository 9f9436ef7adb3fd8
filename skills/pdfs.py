"""Skills certification's printable documents: the certificate (drawn on demand, never stored)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ssqs_portal.pdf import Document, render_pdf_bytes

from . import rules

TOKEN_SALT = "skills-certificate"


def check_token(certificate) -> str:
    """Return the signed token of the QR code: which certificate version, not its data.

    The public check page is the authority: it reads the certificate's status
    as it is now, so a PDF printed before a revocation leads to "revoked".
    Signed without a timestamp: a version's token (and so its QR) is always the same.
    """
    return signing.Signer(salt=TOKEN_SALT).sign_object(
        [certificate.pk, certificate.version], compress=True
    )


def check_token_read(token: str):
    """Return (pk, version) from a token, or None if it is not one we signed."""
    try:
        pk, version = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(pk, int) and isinstance(version, int)):
        return None
    return pk, version


def check_url(certificate, request=None) -> str:
    path = reverse("skills:check_token", kwargs={"token": check_token(certificate)})
    base = settings.PORTAL_BASE_URL or (request.build_absolute_uri("/") if request else "/")
    return base.rstrip("/") + path


def certificate_document(*, certificate, request=None) -> Document:
    """Return the certificate (or statement of achievement) in Malay and English, with its QR."""
    import segno

    url = check_url(certificate, request)
    qr = segno.make(url, error="m")
    context = {
        "certificate": certificate,
        "kind_name": rules.KIND_NAMES[certificate.kind],
        "units": list(certificate.units.order_by("order", "code")) if certificate.kind == rules.SP
        else [],
        "masked_id": rules.mask_id(certificate.trainee.id_number),
        "qr": qr.png_data_uri(scale=4, border=2),
        "check_url": url,
        "public_check": (settings.PORTAL_BASE_URL.rstrip("/") if settings.PORTAL_BASE_URL
                         else (request.build_absolute_uri("/").rstrip("/") if request else ""))
        + reverse("skills:check"),
    }  # fmt: skip
    safe = certificate.reference.replace("/", "-")
    return Document(
        render_pdf_bytes("skills/pdf/certificate.html", context, request),
        f"skills-certificate-{safe}.pdf",
    )


def executive_document(*, context: dict, by, filename: str, request=None) -> Document:
    """The executive report (``skills-executive-report``): the page's figures on A4, landscape
    for the level-by-sector table; nothing personal (no trainee appears in it)."""
    context = {**context, "by": by, "kinds": rules.KINDS}
    return Document(render_pdf_bytes("skills/pdf/executive.html", context, request), filename)
