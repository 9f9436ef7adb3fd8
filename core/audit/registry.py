"""What the audit trail records: the one list of tracked models.

A new programme tracks a model by adding one line to ``TRACKED``; the next
``migrate`` installs its triggers (PostgreSQL). ``school`` is the lookup path
from the model to its school (``"pk"`` for the school itself, None for
national records such as a cycle), so a school's history is one indexed query.

- ``ignore``: columns that change on every save without being an act
  (``updated_at``, ``last_login``, activity stamps, figures the services
  recompute). An update that changes only these records nothing.
- ``secret``: recorded as "changed" (or "set"), never with its value
  (a password hash never reaches the trail).
- ``describe``: columns stored with every entry to name the record on the
  history page (a foreign key is shown as the related record).
- ``grouped=(group, key)``: for high-volume rows saved many at a time
  (answers): one statement-level entry per ``group`` and statement, its
  before/after keyed by ``key`` (``{question: value}``), only rows whose
  recorded columns really changed. It keeps the audit within 10 % of a
  domain save (bench/audit.py).
- ``events``: which of insert, update, delete are recorded (all by default).
  Answers record changes and removals only: a first answer is the row
  itself (its value stands until a change, which records the before).
"""

from dataclasses import dataclass

# Noise everywhere: Django's auto_now stamps.
IGNORED_EVERYWHERE = ("updated_at",)
# ``school`` of a record held in a unit (a role grant): its unit when that is a school.
UNIT_SCHOOL = "@unit"


@dataclass(frozen=True)
class Tracked:
    model: str  # "app_label.ModelName"
    school: str | None
    ignore: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()
    describe: tuple[str, ...] = ()
    grouped: tuple[str, str] | None = None
    events: tuple[str, ...] = ("insert", "update", "delete")
    # One person's answers: recorded, but the history page shows that they
    # changed, never the values (domain.md: no figure shown to an officer may
    # reveal one person's answers).
    private: bool = False


def track(
    model, *, school, ignore=(), secret=(), describe=(), grouped=None, events=None, private=False
):
    return Tracked(
        model,
        school,
        tuple(ignore),
        tuple(secret),
        tuple(describe),
        grouped,
        tuple(events or ("insert", "update", "delete")),
        private,
    )


TRACKED = [
    # Schools and accounts
    track("schools.School", school="pk", describe=("code",)),
    track(
        "accounts.User",
        school="school",
        ignore=("last_login",),
        secret=("password",),
        describe=("username",),
    ),
    # SSQS
    track("surveys.Cycle", school=None, describe=("year",)),
    track(
        "surveys.Respondent",
        school="school",
        # Progress the save derives from the answers (which are recorded).
        ignore=("last_active_at", "started_at", "completed_at", "completed_domains"),
        describe=("cycle", "tag"),
    ),
    track(
        "surveys.Answer",
        school="respondent__school",
        ignore=("points",),  # derived from the value (and re-derived by --rescore)
        describe=("respondent",),
        grouped=("respondent", "question"),
        events=("update", "delete"),  # within 10 % of a save: bench/audit.py
        private=True,
    ),
    track("surveys.ProfileAnswer", school="school", describe=("cycle", "question")),
    # PIBK
    track("pibk.PibkYear", school=None, describe=("year",)),
    track(
        "pibk.SchoolYear",
        school="school",
        # Kept by the services from the activities (summaries_rebuild's COPY).
        ignore=("average", "counted", "reaches", "verified_windows"),
        describe=("year",),
    ),
    track("pibk.Activity", school="school_year__school", describe=("school_year", "code")),
    track("pibk.Family", school="school_year__school", describe=("key",)),
    track("pibk.Pupil", school="family__school_year__school", describe=("family", "name")),
    track(
        "pibk.Attendance",
        school="activity__school_year__school",
        describe=("activity", "family"),
    ),
    track("pibk.Volunteer", school="school_year__school", describe=("school_year", "family")),
    # PASR: a candidate's data and results are one pupil's: recorded, values hidden
    track("pasr.AssessmentYear", school=None, describe=("year",)),
    track("pasr.WindowChange", school=None, describe=("assessment_year", "window")),
    track("pasr.InstrumentRelease", school=None, describe=("assessment_year", "instrument")),
    track("pasr.SchoolYear", school="school", ignore=("candidates", "figures"), describe=("year",)),
    track("pasr.InstrumentCheck", school="school", describe=("release",)),
    track(
        "pasr.Candidate", school="school", secret=("id_number",), describe=("year",), private=True
    ),
    track(
        "pasr.OverrideRequest",
        school="school",
        secret=("id_number",),
        describe=("year",),
        private=True,
    ),
    track("pasr.Transfer", school="to_school", describe=("candidate",)),
    track("pasr.Absence", school="school", describe=("candidate", "instrument")),
    track(
        "pasr.Rating", school="school", describe=("candidate", "construct", "stage"), private=True
    ),
    track("pasr.QaVisit", school="school", describe=("year", "kind")),
    # SPMI: the standard sets (national), each school's cycle, ratings, plan and progress;
    # the pre-filled figures are derived (spmi.Figure: not recorded)
    track("spmi.StandardSet", school=None, describe=("version",)),
    track("spmi.Cycle", school="school", describe=("year", "stage")),
    track("spmi.CriterionRating", school="school", describe=("cycle", "criterion")),
    track("spmi.Action", school="school", describe=("cycle", "criterion")),
    track("spmi.Progress", school="school", describe=("action", "on")),
    track("spmi.EvidenceFile", school="school", describe=("name",)),
    # Skills certification: national records (no school); trainees' data hidden
    track("skills.Standard", school=None, describe=("code",)),
    track("skills.CompetencyUnit", school=None, describe=("standard", "code")),
    track("skills.Centre", school=None, describe=("code",)),
    track("skills.Accreditation", school=None, describe=("centre", "standard")),
    track("skills.Trainee", school=None, secret=("id_number",), private=True),
    track("skills.Intake", school=None, describe=("centre", "code")),
    track("skills.Enrolment", school=None, describe=("intake",)),
    track("skills.Result", school=None, describe=("enrolment", "unit"), private=True),
    track("skills.Verification", school=None, describe=("intake", "decision")),
    track("skills.Certificate", school=None, describe=("reference", "status")),
    # Skills complaints (Modul Aduan): the complainant's contact kept out of the history
    track(
        "skills.Complaint",
        school=None,
        describe=("reference", "status"),
        secret=("name", "email", "phone"),
        private=True,
    ),
    track("skills.ComplaintEvent", school=None, describe=("complaint", "act"), private=True),
    # The centre star rating (rating): the criteria the body publishes, each version and
    # its criteria; the ratings themselves are derived (skills.CentreRating: not recorded).
    track("skills.RatingScheme", school=None, describe=("version", "from_year")),
    track("skills.RatingCriterion", school=None, describe=("scheme", "code")),
    # Personnel (Modul Personel): PP/PPL applications and each standard's decision
    track("skills.PersonnelApplication", school=None, describe=("applicant", "role"), private=True),
    track(
        "skills.PersonnelApproval",
        school=None,
        describe=("person", "standard", "state"),
        private=True,
    ),  # fmt: skip
    # Facilities self-declared and checked: the checklist versions, each declaration (who
    # declared, who checked and when) and its items (what was declared, what was found).
    track("skills.FacilityChecklist", school=None, describe=("version",)),
    track("skills.FacilityDeclaration", school=None, describe=("centre", "year", "state")),
    track("skills.FacilityItem", school=None, describe=("declaration", "code")),
    # The shared core: roles given in a school, and every programme's review acts
    # The read API's keys (api/): who made or revoked which; its last use is not a change.
    track(
        "api.ApiKey",
        school=None,
        ignore=("last_used_at",),
        secret=("key_hash",),
        describe=("name", "prefix"),
    ),
    track("people.RoleGrant", school=UNIT_SCHOOL, describe=("user", "role", "unit_code")),
    track(
        "review.ReviewSubject",
        school="school",
        # Who decided last and when is on the subject; the act itself is an event.
        ignore=("decided_at",),
        describe=("programme", "year", "window"),
    ),
    track("review.ReviewEvent", school="subject__school", describe=("subject", "act")),
]


def tracked_models():
    """Return (model class, Tracked) for every tracked model that is installed."""
    from django.apps import apps

    found = []
    for spec in TRACKED:
        app_label, _, name = spec.model.partition(".")
        if not apps.is_installed(app_label) and app_label not in apps.app_configs:
            continue
        try:
            found.append((apps.get_model(app_label, name), spec))
        except LookupError:
            continue
    return found


def spec_for(label: str) -> Tracked | None:
    for spec in TRACKED:
        if spec.model.lower() == label.lower():
            return spec
    return None
