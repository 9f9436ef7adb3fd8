"""What each role may do: the portal's one table of rights (pure, no ORM).

domain.md section 0: "A role is held *in* a unit (school, district, state,
nation, skills centre, the skills body) and gives rights in that unit and below
it, for the programmes it names." This module says which role may be held in
which kind of unit, which programmes it covers, and which acts it allows (and
at which unit kinds it counts for an act). ``core.people.access`` applies it
to a person's grants.
"""

from django.utils.translation import gettext_lazy as _

from .units import CENTRE, DISTRICT, NATION, SCHOOL, SKILLS_BODY, STATE

PROGRAMMES = ("ssqs", "pibk", "pasr", "skills", "spmi")
PROGRAMME_NAMES = {
    "ssqs": "SSQS",
    "pibk": "PIBK",
    "pasr": "PASR",
    "skills": _("Skills certification"),
    "spmi": "SPMI",
}

HEAD = "head"
ICT_COORDINATOR = "ict_coordinator"
EXAM_SECRETARY = "exam_secretary"
SUBJECT_HEAD = "subject_head"
PIBK_COORDINATOR = "pibk_coordinator"
QUALITY_TEAM = "quality_team"
TEACHER = "teacher"
OFFICER = "officer"
LP_OFFICER = "lp_officer"
CENTRE_ADMIN = "centre_admin"
ASSESSOR = "assessor"
VERIFIER = "verifier"
CERTIFICATION_OFFICER = "certification_officer"
ADMIN = "admin"
# Not a role anyone is given: the rights of a school's shared respondent
# account (code + R), which answers SSQS for whichever respondent types a tag.
RESPONDENT_ACCOUNT = "respondent_account"

# The roles a school's head or coordinator gives to the school's own staff.
SCHOOL_ROLES = (
    HEAD,
    ICT_COORDINATOR,
    EXAM_SECRETARY,
    SUBJECT_HEAD,
    PIBK_COORDINATOR,
    QUALITY_TEAM,
    TEACHER,
)
NODES = (NATION, STATE, DISTRICT)

# role -> (unit kinds it may be held in, programmes it covers)
ROLES = {
    HEAD: ((SCHOOL,), ("ssqs", "pibk", "pasr", "spmi")),
    ICT_COORDINATOR: ((SCHOOL,), ("ssqs",)),
    EXAM_SECRETARY: ((SCHOOL,), ("pasr",)),
    SUBJECT_HEAD: ((SCHOOL,), ("pasr", "spmi")),
    PIBK_COORDINATOR: ((SCHOOL,), ("pibk",)),
    QUALITY_TEAM: ((SCHOOL,), ("spmi",)),
    TEACHER: ((SCHOOL,), ("pasr", "spmi")),
    OFFICER: (NODES, ("ssqs", "pibk", "pasr", "spmi")),
    LP_OFFICER: ((NATION, STATE), ("pasr",)),
    CENTRE_ADMIN: ((CENTRE,), ("skills",)),
    ASSESSOR: ((CENTRE,), ("skills",)),
    VERIFIER: ((SKILLS_BODY, CENTRE), ("skills",)),
    CERTIFICATION_OFFICER: ((SKILLS_BODY,), ("skills",)),
    ADMIN: ((NATION,), PROGRAMMES),
    RESPONDENT_ACCOUNT: ((SCHOOL,), ("ssqs",)),
}

ANY = None  # the role counts wherever it may be held

# act -> {role: unit kinds at which the role counts for the act (ANY: wherever held)}
ACTS = {
    # The shared pages
    "desktop.view": {role: ANY for role in SCHOOL_ROLES},
    "schools.list": {OFFICER: ANY, ADMIN: ANY},
    "schools.view": {**{role: ANY for role in SCHOOL_ROLES}, RESPONDENT_ACCOUNT: ANY,
                     OFFICER: ANY, ADMIN: ANY},
    "staff.manage": {HEAD: ANY, ICT_COORDINATOR: ANY},
    "officers.manage": {ADMIN: ANY},
    "audit.view": {OFFICER: ANY, ADMIN: ANY},
    # The read API's keys (api/): ministry administrators create and revoke them.
    "api.keys": {ADMIN: ANY},
    # SSQS: the coordinator runs the roster, respondents answer, officers follow
    "ssqs.roster.manage": {ICT_COORDINATOR: ANY},
    "ssqs.answer": {RESPONDENT_ACCOUNT: ANY},
    # The coordinator who runs the roster says the school's data is ready to check.
    "ssqs.submit": {ICT_COORDINATOR: ANY},
    "ssqs.results.view": {ICT_COORDINATOR: ANY, HEAD: ANY, OFFICER: ANY, ADMIN: ANY},
    # The school's own view of its result: every figure (1.2, small cells are
    # hidden from everyone above the school).
    "ssqs.results.full": {ICT_COORDINATOR: ANY, HEAD: ANY},
    "ssqs.review": {OFFICER: ANY, ADMIN: ANY},
    "ssqs.reopen": {OFFICER: ANY, ADMIN: ANY},
    "monitoring.view": {OFFICER: ANY, ADMIN: ANY},
    "monitoring.remind": {OFFICER: ANY, ADMIN: ANY},
    "monitoring.certificates": {OFFICER: ANY, ADMIN: ANY},
    # PIBK: the PIBK coordinator enters, the head and officers above see, the district acts
    "pibk.enter": {PIBK_COORDINATOR: ANY},
    # The coordinator who enters a window's data submits it for the district's review.
    "pibk.submit": {PIBK_COORDINATOR: ANY},
    "pibk.view": {PIBK_COORDINATOR: ANY, HEAD: ANY, OFFICER: ANY, ADMIN: ANY},
    "pibk.review": {OFFICER: ANY, ADMIN: ANY},
    "pibk.reopen": {OFFICER: ANY, ADMIN: ANY},
    # The year's targets are the nation's: a national officer or an administrator.
    "pibk.targets": {OFFICER: (NATION,), ADMIN: (NATION,)},
    # PASR (domain.md 2, seed 002): the exam secretary registers (3.5), teachers
    # rate, the subject head moderates (6.8) and submits to the committee the
    # head chairs, which verifies (6.9); the head verifies the downloaded
    # instrument (6.10); the examinations board (LP) sets the windows and may
    # override a refusal with a written reason; officers follow and record
    # quality-assurance visits (6.2-6.7).
    "pasr.view": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY, TEACHER: ANY,
                  OFFICER: ANY, LP_OFFICER: ANY, ADMIN: ANY},
    # The school's own candidates, by name (the school's staff only).
    "pasr.candidates": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY, TEACHER: ANY},
    # The identity number in full: the one who registers checks it.
    "pasr.identity": {EXAM_SECRETARY: ANY},
    "pasr.register": {EXAM_SECRETARY: ANY},
    "pasr.declare": {HEAD: ANY, EXAM_SECRETARY: ANY},
    "pasr.transfer": {EXAM_SECRETARY: ANY},
    "pasr.absence": {EXAM_SECRETARY: ANY},
    "pasr.withdraw": {EXAM_SECRETARY: ANY},
    "pasr.instrument.download": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY,
                                 TEACHER: ANY},
    "pasr.instrument.verify": {HEAD: ANY},
    "pasr.rate": {TEACHER: ANY, SUBJECT_HEAD: ANY},
    "pasr.moderate": {SUBJECT_HEAD: ANY},
    "pasr.submit": {SUBJECT_HEAD: ANY},
    "pasr.review": {HEAD: ANY},
    "pasr.reopen": {HEAD: ANY, LP_OFFICER: ANY, ADMIN: ANY},
    "pasr.report": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY, TEACHER: ANY},
    # Figures without names: the school's analysis and the dashboards above it.
    "pasr.analysis": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY, OFFICER: ANY,
                      LP_OFFICER: ANY, ADMIN: ANY},
    "pasr.qa.view": {HEAD: ANY, EXAM_SECRETARY: ANY, SUBJECT_HEAD: ANY, OFFICER: ANY,
                     LP_OFFICER: ANY, ADMIN: ANY},
    "pasr.qa.record": {HEAD: ANY, OFFICER: ANY, LP_OFFICER: ANY, ADMIN: ANY},
    "pasr.window": {LP_OFFICER: (NATION,), ADMIN: (NATION,)},
    "pasr.override": {LP_OFFICER: ANY, ADMIN: ANY},
    # SPMI (domain.md 5, seed 001): the school's quality team maps its quality (step 1),
    # writes the plan (step 2) and records its progress (steps 3-4); the head approves
    # the plan and moves the cycle on (step 5); officers above follow; the ministry
    # opens the national cycle.
    "spmi.view": {HEAD: ANY, QUALITY_TEAM: ANY, OFFICER: ANY, ADMIN: ANY},
    "spmi.evaluate": {QUALITY_TEAM: ANY},
    "spmi.plan": {QUALITY_TEAM: ANY},
    "spmi.approve": {HEAD: ANY},
    "spmi.progress": {QUALITY_TEAM: ANY},
    "spmi.follow": {OFFICER: ANY, ADMIN: ANY},
    "spmi.open": {OFFICER: (NATION,), ADMIN: (NATION,)},
    # The national standards are the ministry's: a new version, never an edit in place.
    "spmi.standards": {OFFICER: (NATION,), ADMIN: (NATION,)},
    # Seed 001's model schools: an officer above the school marks one; every school's
    # head and quality team may open a model school's plan as an example.
    "spmi.model": {OFFICER: ANY, ADMIN: ANY},
    # The district follows through the review workflow: the head sends the plan, an
    # officer above verifies it or returns it with a comment.
    "spmi.submit": {HEAD: ANY},
    "spmi.review": {OFFICER: ANY, ADMIN: ANY},
    # Skills certification (domain.md 4, seed 004): the body (JPK) keeps the NOSS
    # registry, decides accreditations, assigns verifiers and certifies; a centre's
    # administrator applies, opens intakes and enrols trainees; its assessors (PP)
    # record results; the external verifier (PPL) assigned to an intake verifies it.
    "skills.registry.manage": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.centre.view": {CENTRE_ADMIN: ANY, ASSESSOR: ANY, VERIFIER: ANY,
                           CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    # Trainees' names and (masked) identity numbers at a centre.
    "skills.trainees.view": {CENTRE_ADMIN: ANY, ASSESSOR: ANY, VERIFIER: ANY,
                             CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.accreditation.apply": {CENTRE_ADMIN: ANY},
    "skills.accreditation.decide": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.intake.manage": {CENTRE_ADMIN: ANY},
    # Giving an enrolled trainee a login (or a new first password): the centre's administrator.
    "skills.trainee.account": {CENTRE_ADMIN: ANY},
    "skills.assess": {ASSESSOR: ANY},
    "skills.verifier.assign": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    # Only on an intake the body assigned to this verifier (skills/access.py).
    "skills.verify": {VERIFIER: ANY},
    "skills.certify": {CERTIFICATION_OFFICER: ANY},
    "skills.statistics": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY, CENTRE_ADMIN: ANY},
    # Complaints (Modul Aduan): anyone files one (no act); the body's handlers assign,
    # answer, escalate and close them; a centre's administrator reads those about their
    # centre (status and public answers, never the complainant's contact).
    "skills.complaint.handle": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.complaint.view": {CENTRE_ADMIN: ANY},
    # The centre star rating (rating): a centre's administrator sees its own rating's
    # drill-down; the body sees every centre's and publishes the criteria.
    "skills.rating.view": {CENTRE_ADMIN: ANY, CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.rating.manage": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    # Personnel (Modul Personel): anyone with a personal account applies to serve as PP or
    # PPL (no act: skills/access.py); the body approves or refuses each standard, records
    # the induction, renews, suspends and revokes. Serving then needs an approval in force
    # for the intake's standard on top of skills.assess / skills.verify (skills/access.py).
    "skills.personnel.decide": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    # The executive report (Modul Laporan Eksekutif): the body sees every tier (nation,
    # state, sector, centre); a centre's administrator their own centre's (skills/access.py).
    "skills.executive": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY, CENTRE_ADMIN: ANY},
    # PPT (recognition of prior achievement): a centre's administrator makes the
    # application and gathers the evidence; its assessors judge it (skills.assess, on the
    # application's intake) and read it; the body follows every centre's.
    "skills.ppt.view": {CENTRE_ADMIN: ANY, ASSESSOR: ANY, CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.ppt.manage": {CENTRE_ADMIN: ANY},
    # Facilities self-declared and checked (Kemudahan): a centre's administrator declares
    # the centre's facilities each year against the body's checklist; the body's
    # certification officer (or an administrator) checks the declaration on a visit and
    # keeps the checklist; the centre's administrator and the body read the declaration.
    "skills.facilities.view": {CENTRE_ADMIN: ANY, CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.facilities.declare": {CENTRE_ADMIN: ANY},
    "skills.facilities.check": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
    "skills.facilities.checklist": {CERTIFICATION_OFFICER: ANY, ADMIN: ANY},
}  # fmt: skip

# The programme an act belongs to (None: the shared pages, any programme's grant counts).
ACT_PROGRAMMES = {
    "desktop": None,
    "schools": None,
    "staff": None,
    "officers": None,
    "audit": None,
    "api": None,
    "ssqs": "ssqs",
    "monitoring": "ssqs",
    "pibk": "pibk",
    "pasr": "pasr",
    "skills": "skills",
    "spmi": "spmi",
}


def programme_of(act: str) -> str | None:
    """Return the programme of ``act`` ("monitoring.view" is SSQS's); KeyError if unknown."""
    if act not in ACTS:
        raise KeyError(f"unknown act {act!r}")
    return ACT_PROGRAMMES[act.split(".", 1)[0]]


def may_hold(role: str, kind: str) -> bool:
    """Return whether ``role`` may be held in a unit of ``kind`` (an officer not in a school)."""
    return role in ROLES and kind in ROLES[role][0]


def covers(role: str, programmes, programme: str | None) -> bool:
    """Return whether a ``role`` grant for ``programmes`` (empty: all) counts for ``programme``."""
    if programme is None:
        return True
    if programme not in ROLES[role][1]:
        return False
    return not programmes or programme in programmes


def allows(role: str, kind: str, programmes, act: str) -> bool:
    """Return whether a ``role`` grant in a ``kind`` unit for ``programmes`` allows ``act``."""
    kinds = ACTS[act].get(role, False)
    if kinds is False:
        return False
    if kinds is not ANY and kind not in kinds:
        return False
    return covers(role, programmes, programme_of(act))


def acts_of(role: str) -> list[str]:
    """Return the acts ``role`` allows somewhere, in the table's order."""
    return [act for act, roles in ACTS.items() if role in roles]
