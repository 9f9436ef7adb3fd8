"""Evidence files, checked as the other modules check uploads: the size the upload handler
counted before a byte is read, then the file's first bytes (PDF, PNG or JPEG only)."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def kind_of(upload) -> str:
    """Return the file's kind, or raise ValidationError naming why it is refused."""
    if upload.size > MAX_BYTES:  # nothing is read when it is too big
        raise forms.ValidationError(
            _("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // 2**20}
        )
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    raise forms.ValidationError(_("Evidence files are PDF documents or PNG or JPEG pictures."))


def clean_name(name: str) -> str:
    """The file's own name, without any path, at most 200 characters."""
    base = PurePath(str(name).replace("\\", "/")).name.replace("\x00", "")
    return (base or "bukti")[-200:]


class EvidenceField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Evidence file (PDF, PNG or JPEG, at most 10 MB; optional)"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.evidence_kind = kind_of(upload)
        return upload
