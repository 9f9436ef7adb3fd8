"""Identity numbers (MyKad / MyKid, 12 digits): read as typed, shown masked.

domain.md section 0: "pupils' and trainees' identity numbers (MyKad/MyKid,
12 digits) are shown masked (``******-**-1234``) except to the people who
must check them; public pages never show them." PASR and skills
certification both read and show them through here.
"""

import re

ID_DIGITS = re.compile(r"^[0-9]{12}$")  # ASCII only: \d takes "١٢٣" too


def normalise_id(value: str) -> str | None:
    """Return the 12 digits of a number typed with or without dashes or spaces, else None.

    "120101-10-1234", "120101101234" and " 120101 10 1234 " give "120101101234".
    """
    digits = re.sub(r"[\s-]", "", value or "")
    return digits if ID_DIGITS.match(digits) else None


def mask_id(digits: str) -> str:
    """Return ``******-**-1234`` for a 12-digit identity number."""
    return f"******-**-{digits[-4:]}" if digits else ""


def format_id(digits: str) -> str:
    """Return ``120101-10-1234``: the number as people write it (for those who check it)."""
    return f"{digits[:6]}-{digits[6:8]}-{digits[8:]}" if len(digits) == 12 else digits
