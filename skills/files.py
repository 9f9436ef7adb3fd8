"""Evidence files people upload (PPT evidence per CU, a personnel application's qualifications).

Checked before they are kept: the size the upload handler counted (nothing is
read when it is too big), a name with an allowed extension, and the first bytes
of the content matching that type (a renamed .exe is refused whatever it is
called). Kept under ``PRIVATE_MEDIA_ROOT``, which no URL serves, under a random
name; handed out only by a view that asked the access rule first, as an
attachment the browser may not sniff or run (``file_response``).
"""

import hashlib
import os
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024  # a scanned certificate or a few photos of work done
MAX_FILES = 10  # per CU (or per application's qualifications)
# extension -> (content type, the bytes the file starts with)
TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ALLOWED = "PDF, JPG, PNG"


def file_problem(name: str, size: int, head: bytes, *, max_bytes: int | None = None):
    """Why a file named ``name`` of ``size`` bytes starting with ``head`` is refused, or None."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    extension = os.path.splitext((name or "").lower())[1]
    if extension not in TYPES:
        return _("%(name)s: only %(types)s files are accepted.") % {
            "name": display_name(name), "types": ALLOWED,
        }  # fmt: skip
    if size <= 0:
        return _("%(name)s is empty.") % {"name": display_name(name)}
    if size > max_bytes:
        return _("%(name)s is larger than %(n)s MB.") % {
            "name": display_name(name), "n": max_bytes // (1024 * 1024),
        }  # fmt: skip
    if not any(head.startswith(magic) for magic in TYPES[extension][1]):
        return _("%(name)s is not the %(type)s file its name says.") % {
            "name": display_name(name), "type": extension[1:].upper(),
        }  # fmt: skip
    return None


def display_name(name: str) -> str:
    """The uploaded file's name, safe to show and to send back: no folders, no control
    characters, at most 120 characters (the extension kept)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    base = base.replace('"', "'").strip() or "file"
    stem, extension = os.path.splitext(base)
    return stem[: 120 - len(extension[:10])] + extension[:10]


def content_type(name: str) -> str:
    return TYPES.get(os.path.splitext((name or "").lower())[1], ("application/octet-stream",))[0]


def check_upload(upload, *, max_bytes: int | None = None) -> None:
    """Raise ValidationError (a message naming the file) unless ``upload`` may be kept."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    head = b""
    if 0 < upload.size <= max_bytes:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
    problem = file_problem(upload.name, upload.size, head, max_bytes=max_bytes)
    if problem:
        raise ValidationError(problem)


def digest(upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``: no base URL, so nothing links to them directly."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; a view serves them")


private_storage = PrivateStorage()


def private_name(folder: str, name: str) -> str:
    """A random storage name in ``folder`` keeping only the (allowed) extension."""
    extension = os.path.splitext((name or "").lower())[1]
    return f"{folder}/{secrets.token_hex(16)}{extension if extension in TYPES else ''}"


def file_response(field_file, filename: str) -> FileResponse:
    """Send a kept file as an attachment that browsers neither sniff nor run."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=display_name(filename),
        content_type=content_type(filename),
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response
