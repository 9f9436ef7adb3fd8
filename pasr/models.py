"""PASR's records: the board's years and windows, candidates, ratings per stage, QA visits.

domain.md section 2 and seed 002. A candidate is one identity number in one
assessment year, nationally (unique); ``school`` is where they sit PASR now
(a transfer moves it, and ``Transfer`` keeps where they were). Ratings are
never updated: each stage (assessed, moderated, verified) and each change is
a new ``Rating`` row, so the teacher's first rating is never overwritten and
the latest row of a construct is its result.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rollups.models import Figure, RollUp

from . import rules


def _choices(codes, names=None):
    return [(c, (names or {}).get(c, c)) for c in codes]


class AssessmentYear(models.Model):
    """The examinations board's calendar of one assessment year (LP).

    Registration 1-31 March by default (seed 3.4), set or reopened with
    ``pasr_window`` or the board's page, every change kept in ``WindowChange``.
    ProKhas 1 (8 weeks) and ProKhas 2 (4 weeks) windows are published by the
    board (seed 4.1, 4.2); ``results_due`` is the last day for ratings,
    moderation and verification.
    """

    year = models.PositiveIntegerField(_("assessment year"), unique=True)
    instrument_version = models.PositiveSmallIntegerField(_("instrument version"), default=1)
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    prokhas1_opens = models.DateField(_("ProKhas 1 opens"), null=True, blank=True)
    prokhas1_closes = models.DateField(_("ProKhas 1 closes"), null=True, blank=True)
    prokhas2_opens = models.DateField(_("ProKhas 2 opens"), null=True, blank=True)
    prokhas2_closes = models.DateField(_("ProKhas 2 closes"), null=True, blank=True)
    results_due = models.DateField(_("results due"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("PASR assessment year")
        verbose_name_plural = _("PASR assessment years")

    def __str__(self):
        return f"PASR {self.year}"

    def window(self, code: str):
        """Return (opens, closes) of ``rules.WINDOWS`` code (None, None if unpublished)."""
        if code == rules.REGISTRATION:
            return self.registration_opens, self.registration_closes
        return getattr(self, f"{code}_opens"), getattr(self, f"{code}_closes")


class WindowChange(models.Model):
    """One setting of a window by the board: kept for good (who, when, from-to, why)."""

    assessment_year = models.ForeignKey(
        AssessmentYear, on_delete=models.CASCADE, related_name="changes"
    )
    window = models.CharField(
        _("window"), max_length=12,
        choices=_choices((*rules.WINDOWS, rules.RESULTS_DUE), rules.CHANGE_NAMES),
    )  # fmt: skip
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    reason = models.TextField(_("reason"), blank=True)
    # Empty for a command (``source`` says which).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("by"),
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=40, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("PASR window change")
        verbose_name_plural = _("PASR window changes")

    def __str__(self):
        return f"{self.assessment_year_id} {self.window} {self.opens_on}-{self.closes_on}"


def _instrument_upload(instance, filename):
    return f"pasr/{instance.assessment_year.year}/{instance.instrument}/{filename}"


class InstrumentRelease(models.Model):
    """An instrument document the board publishes for schools to download (seed 4.1).

    Stored under MEDIA_ROOT, which the web server does not serve: the file
    is handed out by a view to those who may run PASR.
    """

    assessment_year = models.ForeignKey(
        AssessmentYear, on_delete=models.CASCADE, related_name="releases"
    )
    instrument = models.CharField(
        _("instrument"), max_length=10, choices=_choices(rules.INSTRUMENTS, rules.INSTRUMENT_NAMES)
    )
    title = models.CharField(_("title"), max_length=200)
    document = models.FileField(_("document"), upload_to=_instrument_upload)
    sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("published by"),
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["instrument", "-published_at"]
        verbose_name = _("PASR instrument document")
        verbose_name_plural = _("PASR instrument documents")

    def __str__(self):
        return self.title


class SchoolYear(models.Model):
    """A school's PASR year: partial inclusive education declared, and its summary figures.

    A school runs PASR in a year if it has a PPKI programme (the ministry
    list's INTEGRASI, ``School.has_ppki``) or declares partial inclusive
    education for that year (domain.md 2). ``figures`` is the school's
    summary the roll-ups read (kept by the services, never by a GET).
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="pasr")
    year = models.PositiveIntegerField(_("assessment year"))
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    state = models.ForeignKey("schools.State", on_delete=models.CASCADE, related_name="+")
    partial_inclusive = models.BooleanField(
        _("partial inclusive education declared"), default=False
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("declared by"),
    )  # fmt: skip
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    figures = models.JSONField(_("summary figures"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "school__code"]
        verbose_name = _("school's PASR year")
        verbose_name_plural = _("schools' PASR years")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="pasr_school_year_unique")
        ]
        indexes = [
            models.Index(fields=["year", "district"]),
            models.Index(fields=["year", "state"]),
        ]

    def __str__(self):
        return f"PASR {self.year} {self.school_id}"


class InstrumentCheck(models.Model):
    """The head's verification of a downloaded instrument (seed 6.10), kept with who and when."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    release = models.ForeignKey(InstrumentRelease, on_delete=models.CASCADE, related_name="checks")
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("downloaded by"),
    )  # fmt: skip
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("verified by"),
    )  # fmt: skip
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("PASR instrument check")
        verbose_name_plural = _("PASR instrument checks")
        constraints = [
            models.UniqueConstraint(fields=["school", "release"], name="pasr_check_unique")
        ]

    def __str__(self):
        return f"{self.school_id} {self.release_id}"


class Candidate(models.Model):
    """One candidate of one assessment year: an identity number registered once in the nation."""

    class Status(models.TextChoices):
        REGISTERED = rules.REGISTERED, _("Registered")
        TRANSFERRED_OUT = rules.TRANSFERRED_OUT, _("Transferred out")
        ABSENT = rules.ABSENT, _("Absent")
        COMPLETED = rules.COMPLETED, _("Completed")
        WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")

    year = models.PositiveIntegerField(_("assessment year"))
    id_number = models.CharField(_("identity number"), max_length=12)
    name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="pasr_candidates"
    )
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    programme = models.CharField(_("programme"), max_length=10)
    curriculum = models.CharField(_("curriculum"), max_length=12)
    tahap = models.PositiveSmallIntegerField(_("tahap"))
    final_year = models.BooleanField(_("final year of primary school"))
    medical = models.CharField(_("medical confirmation"), max_length=20)
    mainstream_exam = models.BooleanField(_("registered for the mainstream examination"))
    kh_component = models.CharField(
        _("Kemahiran Hidup component"), max_length=12, choices=_choices(rules.KH_COMPONENTS)
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("registered by"),
    )  # fmt: skip
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # The board's override of a refusal: the rules it set aside and why (shown).
    overridden_rules = models.JSONField(_("rules overridden"), default=list, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("overridden by"),
    )  # fmt: skip
    # A withdrawal (final for the year): why, who and when (shown on the candidate's page).
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("withdrawn by"),
    )  # fmt: skip
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "class_name", "name"]
        verbose_name = _("PASR candidate")
        verbose_name_plural = _("PASR candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "id_number"], name="pasr_candidate_once_a_year"
            ),
            models.CheckConstraint(
                name="pasr_candidate_id_digits", condition=models.Q(id_number__regex=r"^\d{12}$")
            ),
            models.CheckConstraint(
                name="pasr_candidate_status_known", condition=models.Q(status__in=rules.STATUSES)
            ),
        ]
        indexes = [models.Index(fields=["school", "year", "status"])]

    def __str__(self):
        return f"{self.name} ({rules.mask_id(self.id_number)})"

    @property
    def masked_id(self) -> str:
        return rules.mask_id(self.id_number)


class OverrideRequest(models.Model):
    """A refused registration the school asks the board to override (with a written reason)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the board")
        APPROVED = "approved", _("Overridden")
        DECLINED = "declined", _("Declined")

    year = models.PositiveIntegerField(_("assessment year"))
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    id_number = models.CharField(_("identity number"), max_length=12)
    name = models.CharField(_("name"), max_length=150)
    data = models.JSONField(_("registration form"), default=dict)
    failed = models.JSONField(_("rules failed"), default=list)
    note = models.TextField(_("school's note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    reason = models.TextField(_("board's reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("PASR override request")
        verbose_name_plural = _("PASR override requests")
        indexes = [models.Index(fields=["year", "state"])]

    def __str__(self):
        return f"{self.year} {self.school_id} {rules.mask_id(self.id_number)}: {self.state}"


class Transfer(models.Model):
    """A candidate taken over by another school that runs PASR (seed 4.8, 4.9)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="transfers")
    from_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # What was done before the move: {"prokhas1": "verified", ...}
    done = models.JSONField(_("done before the transfer"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("PASR transfer")
        verbose_name_plural = _("PASR transfers")

    def __str__(self):
        return f"{self.candidate_id}: {self.from_school_id} -> {self.to_school_id}"


class Absence(models.Model):
    """A candidate absent for a whole instrument window: they cannot sit it afterwards (4.6)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="absences")
    instrument = models.CharField(
        _("instrument"), max_length=10, choices=_choices(rules.INSTRUMENTS, rules.INSTRUMENT_NAMES)
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("PASR absence")
        verbose_name_plural = _("PASR absences")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "instrument"], name="pasr_absent_once")
        ]

    def __str__(self):
        return f"{self.candidate_id} {self.instrument}"


class Rating(models.Model):
    """One stage of one construct's result: never updated, the latest row is the result."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ratings")
    construct = models.CharField(_("construct"), max_length=8)
    stage = models.CharField(
        _("stage"), max_length=10, choices=_choices(rules.STAGES, rules.STAGE_NAMES)
    )
    level = models.CharField(
        _("competency level"), max_length=16, choices=_choices(rules.LEVELS, rules.LEVEL_NAMES)
    )
    reason = models.TextField(_("reason for the change"), blank=True)
    # The school where it was given (a transferred candidate keeps the old school's ratings).
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["candidate_id", "construct", "at", "pk"]
        verbose_name = _("PASR rating")
        verbose_name_plural = _("PASR ratings")
        constraints = [
            models.CheckConstraint(
                name="pasr_rating_level_known", condition=models.Q(level__in=rules.LEVELS)
            ),
            models.CheckConstraint(
                name="pasr_rating_stage_known", condition=models.Q(stage__in=rules.STAGES)
            ),
        ]
        indexes = [models.Index(fields=["candidate", "construct", "-at"])]

    def __str__(self):
        return f"{self.candidate_id} {self.construct} {self.stage}: {self.level}"


class QaVisit(models.Model):
    """A quality-assurance visit and its findings, recorded against a school (seed 6.2-6.7)."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring (Pementoran)")
        MONITORING = "monitoring", _("Monitoring (Pemantauan)")
        COORDINATION = "coordination", _("Coordination (Penyelarasan)")
        DETECTION = "detection", _("Detection (Pengesanan)")

    class Level(models.TextChoices):
        SCHOOL = "school", _("School (internal)")
        DISTRICT = "district", _("District (PPD)")
        STATE = "state", _("State (JPN)")
        BOARD = "board", _("Examinations board (LP)")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("assessment year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    visited_on = models.DateField(_("visited on"))
    visitor = models.CharField(_("visitor"), max_length=150)
    visitor_role = models.CharField(_("visitor's role"), max_length=80, blank=True)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("PASR quality-assurance visit")
        verbose_name_plural = _("PASR quality-assurance visits")
        indexes = [models.Index(fields=["school", "year"])]

    def __str__(self):
        return f"{self.school_id} {self.kind} {self.visited_on}"


class PasrRollUp(RollUp):
    """PASR's figures of one node for an assessment year (period): core.rollups' one table.

    ``schools`` counts the schools running PASR (a PPKI programme or partial
    inclusive education declared, or candidates registered). Construct
    results are counted once each, at the school that gave them; ``levels``
    counts verified results only (only verified results are final).
    """

    PROGRAMME = "pasr"

    with_candidates = Figure()  # schools with at least one candidate sitting PASR
    candidates = Figure()  # candidates sitting PASR (registered, absent, completed)
    by_status = Figure(dict)  # status -> candidates
    expected = Figure()  # construct results to give (absent instruments left out)
    rated = Figure()  # results given at any stage
    moderated = Figure()  # ... moderated or verified
    verified = Figure()  # ... verified (final)
    behind = Figure()  # schools with candidates whose results are not all verified
    levels = Figure(dict)  # construct -> {level: verified results}
    qa = Figure(dict)  # kind -> quality-assurance visits

    class Meta:
        proxy = True

    @property
    def year(self):
        return self.period

    @property
    def without_candidates(self):
        """Schools running PASR with no candidate registered yet."""
        return max(0, self.schools - self.with_candidates)
