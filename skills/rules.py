"""Skills certification's rules (domain.md section 4, seed 004). Pure: facts in, answers out.

domain.md 4: "A certificate is issued only when every CU of the standard's
level is assessed competent and verified by the PPL, at a centre whose
accreditation for that programme was valid on the assessment date." SKM
levels 1-3, DKM (level 4), DLKM (level 5), and statements of achievement
(SP) for partial CUs.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ssqs_portal.identity import format_id, mask_id, normalise_id  # noqa: F401

# --- NOSS codes: "IT-010-3:2016" (before 2016) or "A011-001-2:2018" (since 2016) ---
STANDARD_CODE = re.compile(r"^(?:[A-Z]{2}-\d{3}-[1-5]:\d{4}|[A-Z]\d{3}-\d{3}-[1-5]:\d{4})$")


def standard_code_level(code: str) -> int | None:
    """Return the level a NOSS code carries (the digit before the colon), None if not a code."""
    if not STANDARD_CODE.match(code or ""):
        return None
    return int(code.split(":")[0][-1])


# --- accreditation (Pentauliahan) ---
APPLIED, APPROVED, REFUSED, SUSPENDED, REVOKED = (
    "applied", "approved", "refused", "suspended", "revoked",
)  # fmt: skip
FULL, MODULAR = "full", "modular"
# act -> the states it may start from
ACCREDITATION_ACTS = {
    "approve": {APPLIED},
    "refuse": {APPLIED},
    "suspend": {APPROVED},
    "reinstate": {SUSPENDED},
    "revoke": {APPROVED, SUSPENDED},
}
ACCREDITATION_NEXT = {
    "approve": APPROVED,
    "refuse": REFUSED,
    "suspend": SUSPENDED,
    "reinstate": APPROVED,
    "revoke": REVOKED,
}


def accreditation_refusal(act: str, state: str, *, reason: str = "", expires_on=None,
                          today=None):  # fmt: skip
    """Why an act on an accreditation may not be done (a message), or None.

    Refusing, suspending, reinstating and revoking need a reason (the centre
    reads it in its history: lifting a suspension is a decision too);
    approving needs an expiry after today.
    """
    if act not in ACCREDITATION_ACTS:
        return _("Unknown act.")
    if state not in ACCREDITATION_ACTS[act]:
        return _("This act is not allowed while the accreditation is %(state)s.") % {"state": state}
    if act in ("refuse", "suspend", "reinstate", "revoke") and not (reason or "").strip():
        return _("Give the reason: the centre reads it.")
    if act == "approve" and (expires_on is None or today is None or expires_on <= today):
        return _("An approval needs an expiry date after today.")
    return None


@dataclass(frozen=True)
class AccreditationFacts:
    state: str
    valid_from: datetime.date | None
    expires_on: datetime.date | None


def accreditation_blocks(facts: AccreditationFacts, on: datetime.date):
    """Why an accreditation does not allow new intakes or assessments ``on`` a day, or None."""
    if facts.state == SUSPENDED:
        return _("The accreditation is suspended.")
    if facts.state == REVOKED:
        return _("The accreditation is revoked.")
    if facts.state != APPROVED:
        return _("The accreditation is not approved.")
    if facts.valid_from is not None and on < facts.valid_from:
        return _("The accreditation is valid only from %(date)s.") % {
            "date": facts.valid_from.isoformat()
        }
    if facts.expires_on is not None and on > facts.expires_on:
        return _("The accreditation expired on %(date)s.") % {"date": facts.expires_on.isoformat()}
    return None


# --- intakes and results ---
INTAKE_OPEN, INTAKE_SUBMITTED, INTAKE_RETURNED, INTAKE_VERIFIED = (
    "open", "submitted", "returned", "verified",
)  # fmt: skip
COMPETENT, NOT_YET = "competent", "not_yet"

# --- certificates (Persijilan) ---
SKM1, SKM2, SKM3, DKM, DLKM, SP = "SKM1", "SKM2", "SKM3", "DKM", "DLKM", "SP"
KINDS = (SKM1, SKM2, SKM3, DKM, DLKM, SP)
KIND_NAMES = {
    SKM1: _("Malaysian Skills Certificate (SKM) Level 1"),
    SKM2: _("Malaysian Skills Certificate (SKM) Level 2"),
    SKM3: _("Malaysian Skills Certificate (SKM) Level 3"),
    DKM: _("Malaysian Skills Diploma (DKM)"),
    DLKM: _("Malaysian Skills Advanced Diploma (DLKM)"),
    SP: _("Statement of achievement (SP)"),
}
KIND_CHOICES = [(k, k) for k in KINDS]
LEVEL_KINDS = {1: SKM1, 2: SKM2, 3: SKM3, 4: DKM, 5: DLKM}

VALID, REVOKED_CERT, SUPERSEDED = "valid", "revoked", "superseded"
CERT_STATUSES = (VALID, REVOKED_CERT, SUPERSEDED)


@dataclass(frozen=True)
class Award:
    kind: str | None  # None: nothing to certify
    units: frozenset  # the CU ids it certifies
    why_not: str | None = None


def award(*, level: int, standard_units, competent_verified, accredited_on_date: bool) -> Award:
    """Return what a trainee earns: the level's certificate, an SP, or nothing (and why).

    ``standard_units``: every CU of the standard; ``competent_verified``: the
    CUs assessed competent and verified by the PPL; ``accredited_on_date``:
    whether the centre's accreditation was valid on the assessment date.
    """
    everything = frozenset(standard_units)
    earned = frozenset(competent_verified) & everything
    if not accredited_on_date:
        return Award(None, frozenset(), str(_("The centre's accreditation was not valid on the "
                                               "assessment date.")))  # fmt: skip
    if not earned:
        return Award(None, frozenset(), str(_("No competency unit is competent and verified.")))
    if earned == everything:
        return Award(LEVEL_KINDS[level], earned)
    return Award(SP, earned)


# --- certificate numbers and the public check ---
# "JPK-" and 10 symbols of Crockford's base32 (no I, L, O, U: nothing to misread),
# drawn by ``secrets``: 32**10 = 1.1e15 numbers, so a number cannot be guessed
# and the public check cannot be walked; the database keeps them unique.
NUMBER_PREFIX = "JPK-"
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_LENGTH = 10
REFERENCE_MAX = 30  # Certificate.reference's length
# What people misread when they type a number off paper (Crockford's decoding).
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
REFERENCE = re.compile(r"^JPK-[0-9A-HJKMNP-TV-Z]{10}(?:/[1-9]\d{0,3})?$")


def certificate_number(randbelow) -> str:
    """Return a new certificate number drawn with ``randbelow`` (``secrets.randbelow``)."""
    return NUMBER_PREFIX + "".join(
        NUMBER_ALPHABET[randbelow(len(NUMBER_ALPHABET))] for _ in range(NUMBER_LENGTH)
    )


def certificate_reference(number: str, version: int) -> str:
    """Return what the public check takes: the number for version 1, else ``<number>/<version>``."""
    return number if version == 1 else f"{number}/{version}"


def normalise_reference(text: str) -> str | None:
    """Return a typed certificate reference in its stored form, or None if it cannot be one.

    Case, spaces and the letters people misread (O for 0, I or L for 1) are
    forgiven; "jpk-7k3m 9q2x4p" reads as "JPK-7K3M9Q2X4P".
    """
    raw = re.sub(r"\s", "", text or "").upper()
    if not raw or len(raw) > REFERENCE_MAX + 10:
        return None
    if raw.startswith(NUMBER_PREFIX):
        head, sep, version = raw[len(NUMBER_PREFIX) :].partition("/")
        raw = NUMBER_PREFIX + head.translate(_MISREAD) + sep + version
    return raw if REFERENCE.match(raw) else None


# The public check's limits per client address (and per certificate for the
# identity-number question), in the surveys.throttle sliding window of 15
# minutes. Looking a number up is cheap to allow: an employer checks a pile of
# CVs, and 32**10 numbers cannot be walked at 200 a quarter-hour. Asking
# whether an identity number matches is kept tight: the number has structure
# (a birth date, a place code, four digits), so a visitor who knows the
# holder's birth date could otherwise try the rest.
CHECK_LOOKUPS_PER_ADDRESS = 200
CHECK_MATCHES_PER_ADDRESS = 10
CHECK_MATCHES_PER_CERTIFICATE = 20
