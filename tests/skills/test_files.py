"""Evidence files: what is kept and what is refused (skills/files.py).

Issue 17: "attaching evidence per CU (files: size and type checked, stored
outside the web root, served only to those who may see them)".
"""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from skills import files

PDF, JPG, PNG = b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n"
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "size", "head", "refused"),
    [
        ("sijil.pdf", 1000, PDF, None),
        ("GAMBAR.JPG", 1000, JPG, None),
        ("kerja.jpeg", 1000, JPG, None),
        ("lukisan.png", 1000, PNG, None),
        ("exactly-ten.pdf", 10 * MB, PDF, None),
        ("too-big.pdf", 10 * MB + 1, PDF, "larger than 10 MB"),
        ("empty.pdf", 0, b"", "is empty"),
        ("virus.exe", 1000, b"MZ", "only PDF, JPG, PNG"),
        ("no-extension", 1000, PDF, "only PDF, JPG, PNG"),
        ("report.docx", 1000, b"PK\x03\x04", "only PDF, JPG, PNG"),
        ("renamed.pdf", 1000, b"MZ\x90\x00", "not the PDF file"),
        ("html.png", 1000, b"<html><script>", "not the PNG file"),
        ("jpg-as-png.png", 1000, JPG, "not the PNG file"),
    ],
)
def test_file_problem(name, size, head, refused, english):
    problem = files.file_problem(name, size, head)
    if refused is None:
        assert problem is None
    else:
        assert refused in str(problem)
        assert files.display_name(name) in str(problem)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ali\\sijil.pdf", "sijil.pdf"),
        ('bad"name\n.pdf', "bad'name.pdf"),
        ("", "file"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_display_name_drops_folders_and_control_characters(name, shown):
    assert files.display_name(name) == shown


def test_check_upload_reads_nothing_of_a_file_too_big(english):
    class Huge:
        name, size = "big.pdf", 50 * MB

        def read(self, n):  # pragma: no cover - must not be called
            raise AssertionError("read a file that was too big")

    with pytest.raises(ValidationError, match="larger than"):
        files.check_upload(Huge())


def test_private_storage_is_outside_media_and_has_no_url(settings):
    upload = SimpleUploadedFile("sijil-saya.pdf", PDF + b"x")
    name = files.private_storage.save(files.private_name("test", upload.name), upload)
    path = files.private_storage.path(name)
    assert path.startswith(os.path.abspath(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(os.path.abspath(settings.MEDIA_ROOT))
    assert name.startswith("test/") and name.endswith(".pdf") and "sijil" not in name
    with pytest.raises(ValueError):
        files.private_storage.url(name)
    files.private_storage.delete(name)
