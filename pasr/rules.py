"""PASR's registration and competency rules (domain.md section 2, seed 002). Pure.

Seed 002, 3.1: "Siapakah yang boleh mendaftar untuk menduduki PASR?
 1. MBK yang berada dalam Program Pendidikan Khas Integrasi (PPKI) dan MBK
    yang mengikuti pendidikan inklusif separa di sekolah kerajaan/sekolah
    bantuan kerajaan/sekolah swasta; dan
 2. mengikuti KSSR PK Masalah Pembelajaran Tahap 2; dan
 3. berada pada tahun akhir persekolahan; dan
 4. berumur tidak melebihi 14 tahun pada 1 Januari tahun pentaksiran; dan
 5. mempunyai pengesahan pegawai perubatan hospital Kerajaan/hospital
    swasta/kad OKU."
3.2: "Calon dibenarkan mendaftar untuk menduduki sama ada PASR atau UPSR sahaja."
3.3: "PASR tidak ditawarkan kepada calon persendirian."
3.4: "1 Mac hingga 31 Mac tahun pentaksiran."

Every rule that fails is named (not only the first), so the exam secretary
fixes all at once; each refusal's code is the ``data-rule`` of interfaces.md.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Identity numbers (domain.md 0), shared with skills certification.
from ssqs_portal.identity import format_id, mask_id, normalise_id  # noqa: F401

# The refusal codes (interfaces.md ``data-rule``), in the order they are shown.
PROGRAMME = "programme"
CURRICULUM = "curriculum"
TAHAP = "tahap"
FINAL_YEAR = "final_year"
AGE = "age"
MEDICAL = "medical"
EXCLUSIVE = "exclusive"
WINDOW = "window"
PRIVATE = "private"
DUPLICATE = "duplicate"
RULES = (PROGRAMME, CURRICULUM, TAHAP, FINAL_YEAR, AGE, MEDICAL, EXCLUSIVE, WINDOW, PRIVATE,
         DUPLICATE)  # fmt: skip
# The refusals the examinations board may override with a written reason: the
# five eligibility rules and the window. Never: both PASR and the mainstream
# exam (3.2), a private candidate (3.3), an identity number twice in a year.
OVERRIDABLE = (PROGRAMME, CURRICULUM, TAHAP, FINAL_YEAR, AGE, MEDICAL, WINDOW)

MAX_AGE = 14  # "berumur tidak melebihi 14 tahun pada 1 Januari tahun pentaksiran"

PPKI, INCLUSIVE, NO_PROGRAMME = "ppki", "inclusive", "none"
PROGRAMMES = (PPKI, INCLUSIVE, NO_PROGRAMME)
KSSR_PK_MP = "kssr_pk_mp"
MEDICAL_PROOFS = ("gov_hospital", "private_hospital", "oku_card")
KH_COMPONENTS = ("penternakan", "jahitan", "masakan", "perkebunan")

REGISTRATION_OPENS = (3, 1)  # 1 March
REGISTRATION_CLOSES = (3, 31)  # 31 March
PROKHAS1_WEEKS = 8  # seed 4.2: "selama lapan (8) minggu"
PROKHAS2_WEEKS = 4  # "selama empat (4) minggu"

MESSAGES = {
    PROGRAMME: _(
        "Rule 1: the candidate must be in this school's integrated special-education "
        "programme (PPKI) or in partial inclusive education the school has declared for "
        "this year."
    ),
    CURRICULUM: _("Rule 2: the candidate must follow KSSR PK Masalah Pembelajaran."),
    TAHAP: _("Rule 2: the candidate must be at Tahap 2 (level 2) of KSSR PK."),
    FINAL_YEAR: _("Rule 3: the candidate must be in the final year of primary school."),
    AGE: _(
        "Rule 4: the candidate must be at most 14 years old on 1 January %(year)s "
        "(born on or after %(earliest)s); this candidate is %(age)s."
    ),
    MEDICAL: _(
        "Rule 5: a government or private hospital medical officer's confirmation, or an "
        "OKU card, is required."
    ),
    EXCLUSIVE: _(
        "A candidate sits either PASR or the mainstream examination, never both: this "
        "pupil is registered for the mainstream examination."
    ),
    WINDOW: _(
        "Registration for %(year)s is open from %(opens)s to %(closes)s; today is outside "
        "it. Only the examinations board can reopen it."
    ),
    PRIVATE: _("PASR is not offered to private candidates: register pupils of this school only."),
    DUPLICATE: _("This identity number is already registered for PASR %(year)s%(where)s."),
}


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Completed years on ``on``; a birthday falling on ``on`` counts as reached."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_year(born: datetime.date, year: int) -> int:
    """Age in completed years on 1 January of assessment year ``year`` (rule 4)."""
    return age_on(born, datetime.date(year, 1, 1))


def earliest_birth(year: int) -> datetime.date:
    """The earliest date of birth still eligible in ``year``: 2 January of year - 15."""
    return datetime.date(year - MAX_AGE - 1, 1, 2)


@dataclass(frozen=True)
class Applicant:
    """What the registration form says of a candidate (interfaces.md, PASR)."""

    date_of_birth: datetime.date
    programme: str  # ppki | inclusive | none
    curriculum: str  # kssr_pk_mp | other
    tahap: int  # 1 | 2
    final_year: bool
    medical: str  # gov_hospital | private_hospital | oku_card | none
    mainstream_exam: bool
    private_candidate: bool = False


@dataclass(frozen=True)
class SchoolYear:
    """What the school runs in the assessment year (rule 1, transfers)."""

    has_ppki: bool
    partial_inclusive: bool

    @property
    def runs_pasr(self) -> bool:
        return self.has_ppki or self.partial_inclusive


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str


def failed_rules(
    applicant: Applicant,
    *,
    year: int,
    school: SchoolYear,
    window_open: bool,
    already_registered: bool,
) -> list[str]:
    """Return the code of every rule the registration breaks, in ``RULES`` order ([] if none)."""
    failed = []
    in_programme = (applicant.programme == PPKI and school.has_ppki) or (
        applicant.programme == INCLUSIVE and school.partial_inclusive
    )
    if not in_programme:
        failed.append(PROGRAMME)
    if applicant.curriculum != KSSR_PK_MP:
        failed.append(CURRICULUM)
    if applicant.tahap != 2:
        failed.append(TAHAP)
    if not applicant.final_year:
        failed.append(FINAL_YEAR)
    if age_in_year(applicant.date_of_birth, year) > MAX_AGE:
        failed.append(AGE)
    if applicant.medical not in MEDICAL_PROOFS:
        failed.append(MEDICAL)
    if applicant.mainstream_exam:
        failed.append(EXCLUSIVE)
    if not window_open:
        failed.append(WINDOW)
    if applicant.private_candidate:
        failed.append(PRIVATE)
    if already_registered:
        failed.append(DUPLICATE)
    return failed


def refusals(
    failed,
    *,
    year: int,
    born: datetime.date | None,
    opens: datetime.date,
    closes: datetime.date,
    duplicate_school: str | None = None,
) -> list[Refusal]:
    """Return one ``Refusal`` per failed rule, its message filled in for this applicant.

    Rule 4's message gives the candidate's age and the earliest date of birth
    still eligible; the window's the dates the board set. A duplicate names
    the school only when it is the same school (``duplicate_school``, its
    name); elsewhere it says "elsewhere in the nation" and nothing more.
    """
    found = []
    for rule in failed:
        message = MESSAGES[rule]
        if rule == AGE:
            message = message % {
                "year": year,
                "earliest": earliest_birth(year).isoformat(),
                "age": age_in_year(born, year) if born else "?",
            }
        elif rule == WINDOW:
            message = message % {
                "year": year,
                "opens": opens.isoformat(),
                "closes": closes.isoformat(),
            }
        elif rule == DUPLICATE:
            where = (
                _(" at this school (%(school)s)") % {"school": duplicate_school}
                if duplicate_school
                else _(" elsewhere in the nation")
            )
            message = message % {"year": year, "where": where}
        found.append(Refusal(rule, str(message)))
    return found


def results_due_refusal(due: datetime.date, *, year: int, closes: list):
    """Why the last day for results may not be so (a message), or None.

    It falls in the assessment year (seed 4.7: not split across years) and
    not before a published instrument window closes.
    """
    if due.year != year:
        return _("Results are due within the assessment year %(year)s.") % {"year": year}
    late = [c for c in closes if c is not None and c > due]
    if late:
        return _("Results cannot be due before an instrument window closes (%(date)s).") % {
            "date": max(late).isoformat()
        }
    return None


def registration_window_refusal(opens: datetime.date, closes: datetime.date, year: int):
    """Why a registration window may not be set so (a message), or None.

    Seed 3.4: registration is held in the assessment year itself (1-31 March
    unless the board sets or reopens it).
    """
    if closes < opens:
        return _("The window must close on or after the day it opens.")
    if opens.year != year or closes.year != year:
        return _("Registration for %(year)s is held within %(year)s.") % {"year": year}
    return None


def overridable(failed) -> bool:
    """Return whether the board may override a refusal on ``failed`` rules (with a reason)."""
    return bool(failed) and all(rule in OVERRIDABLE for rule in failed)


# --- competency (seed 5.2) ---

KOMPETEN_TERPUJI = "kompeten_terpuji"
KOMPETEN = "kompeten"
BELUM_KOMPETEN = "belum_kompeten"
LEVELS = (KOMPETEN_TERPUJI, KOMPETEN, BELUM_KOMPETEN)
LEVEL_NAMES = {
    KOMPETEN_TERPUJI: _("Kompeten Terpuji"),
    KOMPETEN: _("Kompeten"),
    BELUM_KOMPETEN: _("Belum Kompeten"),
}
# Seed 5.2, "Tafsiran Tahap Kompetensi".
DESCRIPTORS = {
    KOMPETEN_TERPUJI: _(
        "The candidate is excellent, able to carry out tasks independently and needs "
        "minimal guidance from the teacher."
    ),
    KOMPETEN: _(
        "The candidate reaches the minimum level of every criterion in the construct and "
        "needs the teacher's guidance for part of the tasks."
    ),
    BELUM_KOMPETEN: _(
        "The candidate does not reach the minimum level and needs the teacher's help in "
        "almost every task."
    ),
}

# Stages of a construct's result (interfaces.md ``data-stage``): the teacher
# assesses, the subject head (Ketua Panitia) moderates, the committee chaired
# by the head (Guru Besar) verifies (seed 6.8, 6.9).
ASSESSED, MODERATED, VERIFIED = "assessed", "moderated", "verified"
STAGES = (ASSESSED, MODERATED, VERIFIED)
STAGE_NAMES = {
    ASSESSED: _("Assessed by the teacher"),
    MODERATED: _("Moderated by the subject head"),
    VERIFIED: _("Verified by the committee"),
}


def moderation_refusal(*, assessed: str | None, level: str, reason: str):
    """Why a moderation may not be recorded (a message), or None.

    The subject head moderates a rating the teacher gave; changing its level
    needs a reason (domain.md 2: "why it changed is kept").
    """
    if assessed is None:
        return _("The teacher has not rated this construct yet.")
    if level not in LEVELS:
        return _("Choose a competency level.")
    if level != assessed and not (reason or "").strip():
        return _("Say why the level is changed from the teacher's rating.")
    return None


# --- instruments, windows and candidates' statuses ---

PROKHAS1, PROKHAS2 = "prokhas1", "prokhas2"
INSTRUMENTS = (PROKHAS1, PROKHAS2)
INSTRUMENT_NAMES = {PROKHAS1: _("ProKhas 1"), PROKHAS2: _("ProKhas 2")}
REGISTRATION = "registration"
WINDOWS = (REGISTRATION, PROKHAS1, PROKHAS2)
WINDOW_NAMES = {REGISTRATION: _("Registration"), **INSTRUMENT_NAMES}
# A change of the last day for results is kept beside the windows' changes (one day, not two ends).
RESULTS_DUE = "results"
CHANGE_NAMES = {**WINDOW_NAMES, RESULTS_DUE: _("Results due")}


def default_registration(year: int) -> tuple[datetime.date, datetime.date]:
    """1-31 March of the assessment year (seed 3.4)."""
    return datetime.date(year, *REGISTRATION_OPENS), datetime.date(year, *REGISTRATION_CLOSES)


def instrument_window_refusal(instrument: str, opens: datetime.date, closes: datetime.date,
                              year: int):  # fmt: skip
    """Why an instrument window may not be set so (a message), or None.

    Seed 4.2: ProKhas 1 runs eight weeks, ProKhas 2 four, "mengikut jadual
    yang ditetapkan LP"; 4.7: both in the same year.
    """
    if closes < opens:
        return _("The window must close on or after the day it opens.")
    if opens.year != year or closes.year != year:
        return _("ProKhas 1 and ProKhas 2 are held in the assessment year itself.")
    weeks = PROKHAS1_WEEKS if instrument == PROKHAS1 else PROKHAS2_WEEKS
    if (closes - opens).days + 1 != weeks * 7:
        return _("%(instrument)s runs %(weeks)s weeks (%(days)s days).") % {
            "instrument": INSTRUMENT_NAMES[instrument],
            "weeks": weeks,
            "days": weeks * 7,
        }
    return None


# A candidate's status at a school (interfaces.md ``data-status``).
REGISTERED = "registered"
TRANSFERRED_OUT = "transferred_out"
ABSENT = "absent"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"
STATUSES = (REGISTERED, TRANSFERRED_OUT, ABSENT, COMPLETED, WITHDRAWN)


def transfer_refusal(*, to_school: SchoolYear, same_school: bool, status: str):
    """Why a candidate may not be taken over by a school (a message), or None.

    Seed 4.8-4.10: "Calon boleh menduduki PASR sekiranya sekolah baharu
    melaksanakan PASR"; otherwise "Calon tidak dapat melaksanakan PASR kerana
    PASR dilaksanakan semasa waktu pengajaran dan pembelajaran dan calon
    ditaksir oleh guru yang mengajar."
    """
    if same_school:
        return _("The candidate is already registered at this school.")
    if status in (COMPLETED, WITHDRAWN):
        return _("The candidate's PASR is finished: there is nothing to take over.")
    if not to_school.runs_pasr:
        return _(
            "This school does not run PASR this year (no PPKI programme and no partial "
            "inclusive education declared), so it cannot take the candidate over: PASR is "
            "carried out in lessons and the candidate is assessed by the teacher who teaches them."
        )
    return None


def absence_refusal(*, instrument: str, window_closes: datetime.date | None,
                    today: datetime.date, rated: bool):  # fmt: skip
    """Why a candidate may not be recorded absent for a whole instrument window, or None.

    Seed 4.6: a candidate absent for the whole administration "tidak boleh
    menduduki PASR kerana tempoh pelaksanaannya telah tamat". Absent for the
    whole window is known once it has closed, and only if nothing was rated.
    """
    if window_closes is None:
        return _("The examinations board has not published this instrument's window yet.")
    if today <= window_closes:
        return _(
            "%(instrument)s's window has not ended: absence for the whole window is "
            "recorded after %(date)s."
        ) % {
            "instrument": INSTRUMENT_NAMES[instrument],
            "date": window_closes.isoformat(),
        }
    if rated:
        return _(
            "The candidate has ratings in this instrument, so they were not absent for "
            "the whole window."
        )
    return None


# --- reports and analyses (seed 5.1-5.3) ---

# Seed 5.3, "Sejauhmana pelaporan PASR dapat digunakan oleh murid, ibu bapa dan
# guru": what each reader of a candidate's report uses it for, printed on it.
PUPIL, PARENTS, TEACHERS = "pupil", "parents", "teachers"
READERS = (PUPIL, PARENTS, TEACHERS)
READER_NAMES = {PUPIL: _("Pupil"), PARENTS: _("Parents"), TEACHERS: _("Teachers")}
GUIDANCE = {
    PUPIL: (
        _("Know your strengths and weaknesses in learning."),
        _("Work on your weaknesses in learning."),
        _("Strengthen your learning and skills to reach a higher level of mastery."),
    ),
    PARENTS: (
        _("Know your child's development as a whole."),
        _("Know your child's potential, strengths and weaknesses."),
        _("Follow your child's achievement in learning and skills over time."),
        _("Help your child learn, using what this assessment shows."),
    ),
    TEACHERS: (
        _("Follow the pupil's development as a whole."),
        _("Identify the pupil's strengths and weaknesses in learning over time."),
        _("Know how effective the teaching was."),
        _("Take suitable follow-up action."),
    ),
}


def level_counts(levels) -> dict:
    """Return {level: how many} of an iterable of levels, every level present (0 if none)."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        if level in counts:
            counts[level] += 1
    return counts


def level_shares(counts: dict) -> dict:
    """Return {level: percent of the verified results, two places halves up, or None}.

    Seed 5.1 reports each construct's level; an analysis shows how the
    construct's verified results share out among the three levels.
    """
    from fractions import Fraction

    from ssqs_portal.numbers import two_decimals

    total = sum(counts.get(level) or 0 for level in LEVELS)
    return {
        level: two_decimals(Fraction(100 * (counts.get(level) or 0), total)) if total else None
        for level in LEVELS
    }


def levels_held_back(counts: dict) -> frozenset:
    """Return the levels of one construct an officer may not see (domain.md 1.2, "small cells").

    The SSQS rule, applied to PASR's results with the same helper: a figure
    computed from fewer than 3 candidates is not shown above the school, and
    the complementary cells go too, so a held-back count cannot be found by
    subtracting the others from the total.
    """
    from surveys.disclosure import held_back

    return held_back(LEVELS, counts)


def report_stage(stages) -> str:
    """Return the stage of a whole report: its lowest construct stage (assessed if any is none).

    A report is final only when every construct's result is verified (domain.md 2:
    "moderation ... and then verification ... before they are final").
    """
    stages = list(stages)
    if not stages or any(stage not in STAGES for stage in stages):
        return ASSESSED
    return min(stages, key=STAGES.index)


# --- quality assurance (seed 6.2-6.7) ---

MENTORING, MONITORING, COORDINATION, DETECTION = (
    "mentoring", "monitoring", "coordination", "detection",
)  # fmt: skip
QA_KINDS = (MENTORING, MONITORING, COORDINATION, DETECTION)
QA_SCHOOL, QA_DISTRICT, QA_STATE, QA_BOARD = "school", "district", "state", "board"
QA_LEVELS = (QA_SCHOOL, QA_DISTRICT, QA_STATE, QA_BOARD)
# Seed 6.7: the assessment personnel appointed by the examinations board (LP),
# the state (JPN) and the head who carry out quality assurance, and where
# each works (internal: the school; external: district, state, board).
QA_ROLES = {
    "kps": (_("School chief assessor (KPS)"), QA_SCHOOL),
    "kpprokhas": (_("ProKhas chief assessor (KPProKhas)"), QA_SCHOOL),
    "appointed_teacher": (_("Teacher appointed by the head"), QA_SCHOOL),
    "subject_teacher": (_("Subject teacher appointed by the head"), QA_SCHOOL),
    "guru_besar": (_("Head (Guru Besar)"), QA_SCHOOL),
    "gpk_pk": (_("Senior assistant for special education"), QA_SCHOOL),
    "pegawai_ppd": (_("District officer (Pegawai PPD)"), QA_DISTRICT),
    "kpkw": (_("Area chief assessor (KPKw)"), QA_DISTRICT),
    "pegawai_jpn": (_("State officer (Pegawai JPN)"), QA_STATE),
    "kpn": (_("State chief assessor (KPN)"), QA_STATE),
    "pegawai_lp": (_("Examinations board officer (Pegawai LP)"), QA_BOARD),
    "kpk": (_("National chief assessor (KPK)"), QA_BOARD),
}
# Seed 6.7's table: who carries out each kind of quality assurance.
QA_KIND_ROLES = {
    MENTORING: ("kps", "kpprokhas", "appointed_teacher", "pegawai_lp", "kpk", "kpn", "kpkw"),
    MONITORING: ("guru_besar", "gpk_pk", "pegawai_lp", "pegawai_jpn", "pegawai_ppd"),
    DETECTION: ("gpk_pk", "subject_teacher", "pegawai_lp", "kpk", "kpn", "kpkw"),
    COORDINATION: ("kpprokhas", "pegawai_lp", "kpk", "kpn", "kpkw"),
}
MAX_QA_TEXT = 4000


def qa_visit_refusals(*, kind: str, level: str, role: str, visited_on: datetime.date,
                      today: datetime.date, year: int, visitor: str,
                      findings: str) -> dict:  # fmt: skip
    """Return {field: message} of everything wrong with a QA visit ({} if it may be recorded).

    Seed 6.7 names who carries out each kind of quality assurance and where
    they work; a visit has happened (not in the future), in its assessment
    year, and its findings are what it is recorded for.
    """
    errors = {}
    if kind not in QA_KINDS:
        errors["kind"] = _("Choose the kind of quality assurance.")
    if level not in QA_LEVELS:
        errors["level"] = _("Choose the level of the visit.")
    if role not in QA_ROLES:
        errors["visitor_role"] = _("Choose the visitor's role.")
    elif kind in QA_KINDS and role not in QA_KIND_ROLES[kind]:
        errors["visitor_role"] = _("%(role)s does not carry out %(kind)s.") % {
            "role": QA_ROLES[role][0],
            "kind": QA_KIND_NAMES[kind],
        }
    elif level in QA_LEVELS and QA_ROLES[role][1] != level:
        errors["level"] = _("%(role)s works at the %(level)s level.") % {
            "role": QA_ROLES[role][0],
            "level": QA_LEVEL_NAMES[QA_ROLES[role][1]],
        }
    if visited_on > today:
        errors["visited_on"] = _("The visit date cannot be in the future.")
    elif visited_on.year != year:
        errors["visited_on"] = _("The visit must be in the assessment year %(year)s.") % {
            "year": year
        }
    if not (visitor or "").strip():
        errors["visitor"] = _("Name the visitor.")
    if not (findings or "").strip():
        errors["findings"] = _("Write the findings of the visit.")
    return errors


QA_KIND_NAMES = {
    MENTORING: _("Mentoring (Pementoran)"),
    MONITORING: _("Monitoring (Pemantauan)"),
    COORDINATION: _("Coordination (Penyelarasan)"),
    DETECTION: _("Detection (Pengesanan)"),
}
QA_LEVEL_NAMES = {
    QA_SCHOOL: _("School (internal)"),
    QA_DISTRICT: _("District (PPD)"),
    QA_STATE: _("State (JPN)"),
    QA_BOARD: _("Examinations board (LP)"),
}


# --- what was done in an instrument, and a candidate's status (seed 4.6, 4.9) ---

NOT_STARTED, RATED = "not_started", "rated"
DONE = (VERIFIED, RATED, ABSENT, NOT_STARTED)
DONE_NAMES = {
    VERIFIED: _("verified"),
    RATED: _("rated, not verified"),
    ABSENT: _("absent for the whole window"),
    NOT_STARTED: _("not started"),
}


def instrument_done(*, stages, constructs: int, absent: bool) -> str:
    """Return what was done in one instrument for one candidate (``DONE``).

    ``stages`` are the stages of the latest rating of each construct rated;
    ``constructs`` how many the instrument has. Verified once every construct's
    result is verified (seed 6.9); absent if recorded absent (4.6).
    """
    stages = list(stages)
    if absent:
        return ABSENT
    if constructs and len(stages) == constructs and all(s == VERIFIED for s in stages):
        return VERIFIED
    return RATED if stages else NOT_STARTED


WITHDRAW_REASON_MAX = 500


def withdraw_refusal(*, status: str, reason: str):
    """Why a candidate may not be withdrawn from PASR (a message), or None.

    The seed names no withdrawal; the portal's rule: a candidate who sits PASR
    at the school (registered or absent) may be withdrawn by the exam
    secretary with a written reason. A completed result stands; a candidate
    transferred out is the new school's to withdraw; a withdrawal is final for
    the year (the identity number stays registered, so it is not registered
    again elsewhere by mistake).
    """
    if status == WITHDRAWN:
        return _("This candidate is already withdrawn.")
    if status == COMPLETED:
        return _("This candidate's PASR is completed and verified: a completed result stands.")
    if status not in (REGISTERED, ABSENT):
        return _("This candidate does not sit PASR at this school.")
    if not (reason or "").strip():
        return _("Write why the candidate is withdrawn.")
    return None


def candidate_status(*, done: dict, current: str) -> str:
    """Return a candidate's status from what was done in each instrument ({code: DONE}).

    Completed once every instrument the candidate sat is verified (an
    instrument they were absent for does not count, seed 4.6); absent once
    recorded absent for an instrument and not completed; a withdrawn
    candidate stays withdrawn.
    """
    if current == WITHDRAWN:
        return current
    sat = [d for d in done.values() if d != ABSENT]
    if sat and all(d == VERIFIED for d in sat):
        return COMPLETED
    if any(d == ABSENT for d in done.values()):
        return ABSENT
    return REGISTERED


def rating_refusal(*, level: str, absent: bool, carried: str | None = None):
    """Why a teacher's rating may not be recorded (a message), or None.

    A candidate recorded absent for the instrument cannot sit it (seed 4.6);
    an instrument verified at the school a candidate came from stays there
    (4.9: ProKhas 2 continues at the new school).
    """
    if level not in LEVELS:
        return _("Choose a competency level.")
    if absent:
        return _(
            "The candidate was absent for the whole window of this instrument and cannot "
            "sit it afterwards."
        )
    if carried in (VERIFIED, ABSENT):
        return _("This instrument was finished at the candidate's previous school.")
    return None
