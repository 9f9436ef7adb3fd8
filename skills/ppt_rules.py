"""PPT, recognition of prior achievement (Modul PPT, seed 004): the pure rules.

Issue 17: "a person (through an accredited PPT centre or an agency) applies for
a standard, full or modular, attaching evidence per CU [...]; an assessor
judges each CU from the evidence (and an interview or practical assessment,
recorded); the external verifier verifies; certification then follows the
same rule and the same certificates as the core issue."

An application is made at a centre accredited for the standard (the centre's
own candidate, or one an agency sent); while it is a draft the centre gathers
the evidence. Submitting opens a one-person PPT intake of the accreditation,
so the assessor's judgements are the intake's results, the PPL verifies it as
any intake and the certificate follows ``rules.award``.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from . import rules

# --- what the centre records ---
CHANNEL_CENTRE, CHANNEL_AGENCY = "centre", "agency"
CHANNEL_CHOICES = [
    (CHANNEL_CENTRE, _("The person applied at the centre")),
    (CHANNEL_AGENCY, _("Sent by an agency")),
]
DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"
STATE_CHOICES = [(DRAFT, _("Draft")), (SUBMITTED, _("Submitted")), (WITHDRAWN, _("Withdrawn"))]
EXPERIENCE_MAX = 4_000
REASON_MAX = 2_000
NOTE_MAX = 2_000
ASSESSMENT_DAYS = 180  # the PPT intake's span: from submitting to the assessor's last judgement

# --- how the assessor judged a CU ---
BY_EVIDENCE, BY_INTERVIEW, BY_PRACTICAL = "evidence", "interview", "practical"
METHOD_CHOICES = [
    (BY_EVIDENCE, _("From the evidence alone")),
    (BY_INTERVIEW, _("Evidence and an interview")),
    (BY_PRACTICAL, _("Evidence and a practical assessment")),
]
METHODS = (BY_EVIDENCE, BY_INTERVIEW, BY_PRACTICAL)

# --- the stage a person sees, read from the application and its intake ---
STAGE_DRAFT, STAGE_ASSESSMENT, STAGE_RETURNED, STAGE_VERIFICATION = (
    "draft", "assessment", "returned", "verification",
)  # fmt: skip
STAGE_VERIFIED, STAGE_CERTIFIED, STAGE_WITHDRAWN = "verified", "certified", "withdrawn"
STAGE_NAMES = {
    STAGE_DRAFT: _("Draft: gathering evidence"),
    STAGE_ASSESSMENT: _("With the assessor (PP)"),
    STAGE_RETURNED: _("Returned by the verifier"),
    STAGE_VERIFICATION: _("With the external verifier (PPL)"),
    STAGE_VERIFIED: _("Verified: for certification"),
    STAGE_CERTIFIED: _("Certified"),
    STAGE_WITHDRAWN: _("Withdrawn"),
}
STAGES = tuple(STAGE_NAMES)


def stage(state: str, intake_state: str | None, certified: bool) -> str:
    """The stage of an application: its own state until submitted, then its intake's.

    | application | intake | certificate | stage |
    | withdrawn | any | any | withdrawn |
    | draft | none | no | draft |
    | submitted | open | no | assessment |
    | submitted | returned | no | returned |
    | submitted | submitted | no | verification |
    | submitted | verified | no | verified |
    | submitted | verified | yes | certified |
    """
    if state == WITHDRAWN:
        return STAGE_WITHDRAWN
    if state == DRAFT or intake_state is None:
        return STAGE_DRAFT
    if certified:
        return STAGE_CERTIFIED
    return {
        rules.INTAKE_OPEN: STAGE_ASSESSMENT,
        rules.INTAKE_RETURNED: STAGE_RETURNED,
        rules.INTAKE_SUBMITTED: STAGE_VERIFICATION,
        rules.INTAKE_VERIFIED: STAGE_VERIFIED,
    }[intake_state]


def evidence_open(stage_code: str) -> bool:
    """Evidence may be added or removed while the centre gathers it, and again when the
    verifier returned the application (the assessor may ask for more)."""
    return stage_code in (STAGE_DRAFT, STAGE_RETURNED)


def judging_open(stage_code: str) -> bool:
    """The assessor judges once it is submitted, and again after the verifier returned it."""
    return stage_code in (STAGE_ASSESSMENT, STAGE_RETURNED)


def may_withdraw(stage_code: str) -> bool:
    """Withdrawn at the person's request until the verifier has it (then it runs its course)."""
    return stage_code in (STAGE_DRAFT, STAGE_ASSESSMENT, STAGE_RETURNED)


def units_problem(mode: str, chosen, accredited, standard_units):
    """Why the CUs applied for cannot be, or None.

    Full: every CU of the standard, so the centre's accreditation must cover
    them all. Modular: one or more CUs, each within the centre's accreditation.
    """
    chosen, accredited, everything = set(chosen), set(accredited), set(standard_units)
    if mode == rules.FULL:
        if not everything <= accredited:
            return _("The centre is accredited for some CUs of this standard only: apply for "
                     "those CUs (modular).")  # fmt: skip
        return None
    if mode != rules.MODULAR:
        return _("Choose full or modular.")
    if not chosen:
        return _("Choose the competency units (CU) the person applies for.")
    if not chosen <= accredited:
        return _("A chosen CU is outside the centre's accreditation for this standard.")
    return None


def missing_evidence(applied_units, evidence_counts):
    """The applied CUs (codes, in order) with no evidence file: submitting needs one per CU."""
    return [code for code in applied_units if not evidence_counts.get(code)]


def judgement_problem(*, unit: str, outcome: str, method: str, record: str,
                      evidence_files: int):  # fmt: skip
    """Why one CU's judgement cannot be kept, or None.

    The assessor judges each CU from the evidence; an interview or a practical
    assessment is recorded (what was asked or observed); a CU with no
    evidence file cannot be judged competent from the evidence alone.
    """
    if outcome not in (rules.COMPETENT, rules.NOT_YET):
        return _("%(unit)s: choose Competent or Not yet competent.") % {"unit": unit}
    if method not in METHODS:
        return _("%(unit)s: say how it was judged.") % {"unit": unit}
    if method in (BY_INTERVIEW, BY_PRACTICAL) and not record.strip():
        return _("%(unit)s: record what the interview asked or the practical assessment "
                 "observed.") % {"unit": unit}  # fmt: skip
    if len(record) > NOTE_MAX or "\x00" in record:
        return _("%(unit)s: the record is longer than %(n)s characters or unreadable.") % {
            "unit": unit, "n": NOTE_MAX,
        }  # fmt: skip
    if method == BY_EVIDENCE and outcome == rules.COMPETENT and evidence_files < 1:
        return _("%(unit)s: no evidence file to judge it competent from.") % {"unit": unit}
    return None


def reference(year: int, pk: int) -> str:
    """The application's reference: PPT-2026-000042."""
    return f"PPT-{year}-{pk:06d}"


def intake_span(submitted_on: datetime.date):
    return submitted_on, submitted_on + datetime.timedelta(days=ASSESSMENT_DAYS)
