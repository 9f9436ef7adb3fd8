"""Complaints (Modul Aduan) made for tests: a form as a person fills it, a complaint filed."""

import time

from skills import complaint_rules as crules
from skills.forms.complaints import form_stamp
from skills.services import complaints as services


def filing(sw=None, **overrides):
    """The public form as a person sends it: served 10 s ago, the honeypot empty."""
    data = {
        "category": crules.CENTRE_CAT,
        "centre": sw.centre_a.code if sw is not None else "",
        "certificate_number": "",
        "subject": "Bengkel tidak dibuka",
        "description": "Bengkel pusat ini ditutup semasa waktu latihan selama dua minggu.",
        "name": "Rahimah binti Osman",
        "email": "rahimah@example.my",
        "phone": "012-345 6789",
        "website": "",
        "stamp": form_stamp(time.time() - 10),
    }
    return {**data, **overrides}


def complaint(sw, *, category=crules.CENTRE_CAT, centre=None, **kwargs):
    defaults = {
        "subject": "Sijil lewat",
        "description": "Sijil belum diterima selepas enam bulan.",
        "name": "Farid bin Hassan",
        "email": "farid@example.my",
        "phone": "0123456789",
    }
    return services.complaint_file(category=category, centre=centre or sw.centre_a,
                                   **(defaults | kwargs))  # fmt: skip
