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
