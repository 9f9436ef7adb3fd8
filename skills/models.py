"""Skills certification, MySPIKE-style (domain.md section 4, seed 004).

The skills body (JPK) and its accredited centres (Pusat Bertauliah) are
units of the shared core (``core.people.units``: a centre resolves through
``CENTRE_RESOLVER``). A standard (NOSS) has competency units (CU); a centre
is accredited to run a standard, fully or for chosen CUs; it opens intakes
of an accreditation and enrols trainees (one ``Trainee`` per identity
number across centres and years); assessors (PP) record a result per CU;
an external verifier (PPL) verifies the intake; the certification officer
issues certificates, each with a unique number anyone can check.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rollups.models import Figure, RollUp

from . import rules


class Sector(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name_ms = models.CharField(_("name (Malay)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return f"{self.code} {self.name_ms}"


class Standard(models.Model):
    """A national occupational skills standard (NOSS) at one level, in one version."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    title_ms = models.CharField(_("title (Malay)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="standards")
    level = models.PositiveSmallIntegerField(_("level"))
    version = models.CharField(_("version"), max_length=10, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by",
        verbose_name=_("supersedes"),
    )  # fmt: skip
    # Demo registry rows are labelled as such (no official machine-readable list exists).
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NOSS standard")
        verbose_name_plural = _("NOSS standards")
        constraints = [
            models.CheckConstraint(
                name="skills_standard_level_1_5", condition=models.Q(level__gte=1, level__lte=5)
            )
        ]
        indexes = [models.Index(fields=["sector", "level"])]

    def __str__(self):
        return f"{self.code} {self.title_ms}"


class CompetencyUnit(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=40)
    title_ms = models.CharField(_("title (Malay)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)
    hours = models.PositiveIntegerField(_("hours"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard_id", "order", "code"]
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="skills_cu_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title_ms}"


class Centre(models.Model):
    """An accredited centre (Pusat Bertauliah): a unit of the shared core."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    state = models.ForeignKey(
        "schools.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("skills centre")
        verbose_name_plural = _("skills centres")

    def __str__(self):
        return f"{self.code} {self.name}"

    def as_unit(self):
        from core.people.units import centre_unit

        return centre_unit(self)


class Accreditation(models.Model):
    """A centre's accreditation to run a standard, full or modular (chosen CUs)."""

    class State(models.TextChoices):
        APPLIED = rules.APPLIED, _("Applied")
        APPROVED = rules.APPROVED, _("Approved")
        REFUSED = rules.REFUSED, _("Refused")
        SUSPENDED = rules.SUSPENDED, _("Suspended")
        REVOKED = rules.REVOKED, _("Revoked")

    class Mode(models.TextChoices):
        FULL = rules.FULL, _("Full")
        MODULAR = rules.MODULAR, _("Modular")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="accreditations")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="accreditations")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.FULL)
    # Modular: the chosen CUs (full: every CU of the standard).
    units = models.ManyToManyField(CompetencyUnit, blank=True, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.APPLIED
    )
    note = models.TextField(_("centre's note"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Why it was refused, suspended or revoked (the latest decision's reason).
    reason = models.TextField(_("reason"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["centre_id", "standard_id", "-applied_at"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        indexes = [models.Index(fields=["state", "expires_on"])]

    def __str__(self):
        return f"{self.centre_id} {self.standard_id} {self.state}"


class ActEvent(models.Model):
    """One act on a record, append-only: what, why, who and when (accreditation, personnel)."""

    act = models.CharField(_("act"), max_length=12)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True


class AccreditationEvent(ActEvent):
    """Every act on an accreditation: applied, approved, refused, suspended, reinstated, revoked."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("accreditation event")
        verbose_name_plural = _("accreditation events")

    def __str__(self):
        return f"{self.accreditation_id} {self.act}"


class Trainee(models.Model):
    """One person, across centres and years (identity number unique; shown masked)."""

    id_number = models.CharField(_("identity number"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    # The trainee's own account, if they have one (their page: results and certificates).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="trainee",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.CheckConstraint(
                name="skills_trainee_id_digits", condition=models.Q(id_number__regex=r"^\d{12}$")
            )
        ]

    def __str__(self):
        return f"{self.name} ({rules.mask_id(self.id_number)})"


class Intake(models.Model):
    """A centre's intake of one accredited programme: its trainees, results and verification."""

    class State(models.TextChoices):
        OPEN = rules.INTAKE_OPEN, _("Open: assessment under way")
        SUBMITTED = rules.INTAKE_SUBMITTED, _("Submitted for verification")
        RETURNED = rules.INTAKE_RETURNED, _("Returned by the verifier")
        VERIFIED = rules.INTAKE_VERIFIED, _("Verified")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="intakes")
    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, related_name="intakes"
    )
    code = models.CharField(_("intake code"), max_length=30)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # The external verifier (PPL) the body assigned.
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("external verifier (PPL)"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="skills_intake_code_unique")
        ]

    def __str__(self):
        return f"{self.centre_id} {self.code}"


class Enrolment(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="enrolments")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["intake_id", "trainee__name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["intake", "trainee"], name="skills_enrolment_once")
        ]

    def __str__(self):
        return f"{self.intake_id} {self.trainee_id}"


class Result(models.Model):
    """An assessor's (PP) result of one trainee in one CU: one row, its changes in the audit."""

    class Outcome(models.TextChoices):
        COMPETENT = rules.COMPETENT, _("Competent")
        NOT_YET = rules.NOT_YET, _("Not yet competent")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    assessed_on = models.DateField(_("assessed on"))
    evidence = models.TextField(_("evidence note"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("assessor (PP)"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(default=timezone.now)
    # Set when the intake's verification approved it.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment_id", "unit__order"]
        verbose_name = _("CU result")
        verbose_name_plural = _("CU results")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "unit"], name="skills_result_once")
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.unit_id} {self.outcome}"


class Verification(models.Model):
    """One round of the external verifier's (PPL) check of an intake: approved or returned."""

    class Decision(models.TextChoices):
        APPROVED = rules.APPROVED, _("Approved")
        RETURNED = rules.INTAKE_RETURNED, _("Returned with comments")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="verifications")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The enrolments checked (all, or the sample the PPL picked).
    sample = models.ManyToManyField(Enrolment, blank=True, related_name="+")
    whole_intake = models.BooleanField(_("every trainee checked"), default=True)
    findings = models.TextField(_("findings"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comments = models.TextField(_("comments"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self):
        return f"{self.intake_id} {self.decision}"


class Certificate(models.Model):
    """One version of a certificate. A re-issue keeps ``number`` and adds a version.

    ``reference`` is what the public check takes and the PDF prints: the number
    for version 1, ``<number>/<version>`` for a re-issue; the versions before
    the current one read as superseded.
    """

    class Status(models.TextChoices):
        VALID = rules.VALID, _("Valid")
        REVOKED = rules.REVOKED_CERT, _("Revoked")
        SUPERSEDED = rules.SUPERSEDED, _("Superseded")

    number = models.CharField(_("certificate number"), max_length=24)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    kind = models.CharField(_("certificate"), max_length=4, choices=rules.KIND_CHOICES)
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="certificates")
    holder_name = models.CharField(_("holder's name as printed"), max_length=200)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="certificates")
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    # The CUs it certifies (a statement of achievement: those earned).
    units = models.ManyToManyField(CompetencyUnit, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reissue_reason = models.TextField(_("reason for the re-issue"), blank=True)

    class Meta:
        ordering = ["number", "version"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="skills_cert_version_once"),
            models.CheckConstraint(
                name="skills_cert_status_known", condition=models.Q(status__in=rules.CERT_STATUSES)
            ),
        ]
        indexes = [
            models.Index(fields=["trainee"]),
            models.Index(fields=["centre", "issued_on"]),
            models.Index(fields=["issued_on", "kind"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.kind} {self.status}"


class IssueBatch(models.Model):
    """Issuing an intake's certificates in the background, with its progress."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="issue_batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, default="queued")  # queued, running, done, failed
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched as the worker goes: a running batch whose heartbeat is old lost its
    # worker and may be claimed again (skills.services.certificates).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("certificate issue batch")
        verbose_name_plural = _("certificate issue batches")

    def __str__(self):
        return f"{self.intake_id} {self.done}/{self.total} {self.state}"


class CentreYearFigures(models.Model):
    """A centre's statistics of one year, precomputed from the records (skills.statistics).

    The statistics page reads these instead of aggregating millions of results
    and certificates. Rebuilt by ``skills.services.statistics`` after the services
    that change them (debounced task) and periodically; equal to the live aggregate.
    """

    year = models.PositiveSmallIntegerField()
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    intakes = models.PositiveIntegerField(default=0)  # intakes starting in the year
    trainees = models.PositiveIntegerField(default=0)  # their enrolments
    # Certificates first issued in the year: {kind: {sector id: count}}.
    certificates = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("centre's yearly figures")
        verbose_name_plural = _("centres' yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "centre"], name="skills_centreyear_once")
        ]

    def __str__(self):
        return f"{self.year} {self.centre_id}"


class UnitYearFigures(models.Model):
    """The CU results a centre's assessors dated in one year: assessed and competent."""

    year = models.PositiveSmallIntegerField()
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.CASCADE, related_name="+")
    assessed = models.PositiveIntegerField(default=0)
    competent = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("CU's yearly figures")
        verbose_name_plural = _("CUs' yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "centre", "unit"], name="skills_unityear_once")
        ]
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self):
        return f"{self.year} {self.centre_id} {self.unit_id}"


class SkillsRollUp(RollUp):
    """The skills statistics of the nation or one state for a year (core.rollups' one table).

    Rolled up from the centres' yearly figures (``CentreYearFigures``,
    ``UnitYearFigures``) by ``skills.rollups``: a state's node counts the centres whose
    ``Centre.state`` it is (centres with no state recorded count under the state node
    ``NO_STATE``), the nation every centre. ``schools`` (the kit's node size) is the number
    of centres with figures, as ``centres``. Certificates count once each, in the year of
    their first version.
    """

    PROGRAMME = "skills"
    NO_STATE = "-"  # the state node of centres with no state recorded

    intakes = Figure()  # intakes starting in the year
    trainees = Figure()  # their enrolments
    assessed = Figure()  # CU results dated in the year
    competent = Figure()  # ... of them competent
    certificates = Figure()  # certificates first issued in the year
    by_kind = Figure(dict)  # kind (SKM1 ... SP) -> certificates
    by_sector = Figure(dict)  # sector id (as text) -> certificates
    units = Figure(dict)  # CU id (as text) -> [assessed, competent]
    centres = Figure()  # centres with figures in the year

    class Meta:
        proxy = True
        verbose_name = _("skills roll-up")
        verbose_name_plural = _("skills roll-ups")

    @property
    def year(self):
        return self.period


# --- complaints (Modul Aduan, Borang Aduan Masalah) ---
from . import complaint_rules as crules  # noqa: E402  (kept in this block: merges stay simple)


class Complaint(models.Model):
    """A complaint anyone filed (logged in or not), followed by its reference number.

    The complainant's name and contact are seen by the body's handlers only; the
    public lookup shows the status, the dates and the body's public answers.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=crules.CATEGORY_CHOICES)
    centre = models.ForeignKey(
        Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("centre"),
    )  # fmt: skip
    certificate = models.ForeignKey(
        "Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("certificate"),
    )  # fmt: skip
    subject = models.CharField(_("subject"), max_length=crules.SUBJECT_MAX)
    description = models.TextField(_("description"))
    name = models.CharField(_("complainant's name"), max_length=crules.NAME_MAX)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=crules.STATUS_CHOICES, default=crules.NEW
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=crules.LEVEL_CHOICES, default=1)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("handled by"),
    )  # fmt: skip
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # Closing says whether the complaint was upheld (the centre star rating counts them).
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            # The handlers' list: open ones, overdue first (due day, then filing).
            models.Index(fields=["status", "due_on"], name="skills_complaint_status_due"),
            models.Index(fields=["centre", "status"], name="skills_complaint_centre"),
            models.Index(fields=["-filed_at"], name="skills_complaint_filed"),
            # The overdue ones (a few among many closed): "overdue only" and their count.
            models.Index(
                fields=["due_on"],
                name="skills_complaint_overdue",
                condition=models.Q(first_answered_at__isnull=True) & ~models.Q(status="closed"),
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.reference


class ComplaintEvent(models.Model):
    """One step of a complaint (append-only): who, when, what, the note, public or internal.

    ``public``: an answer the complainant reads on the lookup page; every other note
    is the body's own. ``by`` is empty for the filing by someone not logged in.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(_("act"), max_length=10, choices=crules.ACT_CHOICES)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the complainant"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        indexes = [models.Index(fields=["complaint", "at"], name="skills_complaintevent_at")]

    def __str__(self):
        return f"{self.complaint_id} {self.act}"


# --- the centre star rating (Modul Penarafan Bintang): skills.rating_rules, services.rating ---
class RatingScheme(models.Model):
    """One published version of the rating's criteria (the YAML the body uploaded).

    A year is rated with the latest version whose ``from_year`` is not after it, so a
    new version leaves the years before its ``from_year`` as they were rated.
    """

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    from_year = models.PositiveSmallIntegerField(_("applies from the year"))
    source = models.TextField(_("criteria (YAML)"))
    digest = models.CharField(max_length=64)
    stars = models.JSONField(default=list)  # [[minimum total, stars], ...] highest first
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("rating scheme")
        verbose_name_plural = _("rating schemes")

    def __str__(self):
        return f"v{self.version} ({self.from_year})"


class RatingCriterion(models.Model):
    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=40)
    name_ms = models.CharField(_("name (Malay)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    measure = models.CharField(_("measure"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight"))
    bands = models.JSONField(default=list)  # [[threshold, points], ...] ascending
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme_id", "order"]
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="skills_criterion_once")
        ]

    def __str__(self):
        return f"{self.scheme_id} {self.code}"


class CentreRating(models.Model):
    """A centre's star rating of one year under one scheme version, with its lines."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(RatingScheme, on_delete=models.PROTECT, related_name="ratings")
    total = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("stars"))
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "centre_id"]
        verbose_name = _("centre rating")
        verbose_name_plural = _("centre ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "scheme"], name="skills_rating_once"
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["year", "scheme", "stars"])]

    def __str__(self):
        return f"{self.centre_id} {self.year} {self.stars}"


class CentreRatingLine(models.Model):
    """One criterion of a centre's rating: the measure's value, its points, its weight."""

    rating = models.ForeignKey(CentreRating, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(RatingCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("value"), null=True, blank=True)  # None: no data that year
    points = models.FloatField(_("points"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    counts = models.JSONField(default=list)  # [part, whole]: "41 of 50 results competent"

    class Meta:
        ordering = ["rating_id", "criterion__order"]
        verbose_name = _("centre rating line")
        verbose_name_plural = _("centre rating lines")

    def __str__(self):
        return f"{self.rating_id} {self.criterion_id} {self.points}"


# --- personnel (Modul Personel): PP and PPL applications and approvals ---
from . import files as evidence_files  # noqa: E402
from . import personnel_rules as prules  # noqa: E402


class PersonnelApplication(models.Model):
    """A person's application to serve as assessor (PP) or external verifier (PPL).

    It names one or more standards (one ``PersonnelApproval`` each, decided one by one)
    and carries the applicant's own qualification in one field (sector) as evidence:
    its level, years in the industry and as a PP, their text and files. A renewal names
    one approval (``renewal_of``) and carries the qualification over.
    """

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("serve as"), max_length=4, choices=prules.ROLE_CHOICES)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("field")
    )
    held_level = models.PositiveSmallIntegerField(
        _("your qualification's level"), choices=prules.LEVEL_CHOICES
    )
    industry_years = models.PositiveSmallIntegerField(_("years in the industry"), default=0)
    pp_years = models.PositiveSmallIntegerField(_("years as an assessor (PP)"), default=0)
    qualifications = models.TextField(_("qualifications"))
    renewal_of = models.ForeignKey(
        "PersonnelApproval", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("renews"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("personnel application")
        verbose_name_plural = _("personnel applications")
        constraints = [
            models.CheckConstraint(
                name="skills_personnel_level_1_5",
                condition=models.Q(held_level__gte=1, held_level__lte=5),
            )
        ]

    def __str__(self):
        return f"{self.applicant_id} {self.role} {self.submitted_at:%Y-%m-%d}"


class PersonnelEvidence(models.Model):
    """A file of an application's qualifications (kept privately: ``skills.files``)."""

    application = models.ForeignKey(
        PersonnelApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(storage=evidence_files.private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=130)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application_id", "pk"]
        verbose_name = _("personnel evidence file")
        verbose_name_plural = _("personnel evidence files")

    def __str__(self):
        return self.name


class PersonnelApproval(models.Model):
    """One standard named in an application: the body's decision, induction and validity.

    In force on a day (``personnel_rules.in_force``): approved, its induction recorded
    (``valid_from``/``expires_on`` set from it) and the day within them. ``person`` and
    ``role`` repeat the application's so that "in force?" is one indexed query.
    """

    application = models.ForeignKey(
        PersonnelApplication, on_delete=models.CASCADE, related_name="approvals"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("serve as"), max_length=4, choices=prules.ROLE_CHOICES)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=prules.STATE_CHOICES, default=prules.APPLIED
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    induction_course = models.CharField(_("induction course"), max_length=200, blank=True)
    induction_on = models.DateField(_("induction attended on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    renews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals",
        verbose_name=_("renews"),
    )  # fmt: skip

    class Meta:
        ordering = ["application_id", "standard__code"]
        verbose_name = _("personnel approval")
        verbose_name_plural = _("personnel approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "standard"], name="skills_personnel_standard_once"
            ),
            models.CheckConstraint(
                name="skills_personnel_state_known",
                condition=models.Q(state__in=[s for s, _l in prules.STATE_CHOICES]),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "role", "standard", "state"],
                         name="skills_personnel_in_force"),
            models.Index(fields=["state", "expires_on"], name="skills_personnel_expiry"),
            models.Index(fields=["standard", "role", "state"], name="skills_personnel_register"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.person_id} {self.role} {self.standard_id} {self.state}"


class PersonnelEvent(ActEvent):
    """Every act on an application or one of its approvals: who, when, why (append-only)."""

    application = models.ForeignKey(
        PersonnelApplication, on_delete=models.CASCADE, related_name="events"
    )
    approval = models.ForeignKey(
        PersonnelApproval, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("personnel event")
        verbose_name_plural = _("personnel events")

    def __str__(self):
        return f"{self.application_id} {self.act}"


# --- PPT, recognition of prior achievement (Modul PPT) ---
from . import files as evidence_files  # noqa: E402
from . import ppt_rules  # noqa: E402


class PptApplication(models.Model):
    """A person's application to be certified for what they can already do (PPT).

    Made at a centre accredited for the standard, full or for chosen CUs; the
    evidence is gathered per CU while it is a draft. Submitting opens its own
    one-person intake (``intake``): the assessor's judgements are that intake's
    results, verified and certified as any intake's.
    """

    # Set right after the insert: it carries the row's number (ppt_rules.reference).
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True)  # noqa: DJ001
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="ppt_applications", verbose_name=_("centre")
    )
    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, related_name="ppt_applications"
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.PROTECT, related_name="ppt_applications",
        verbose_name=_("applicant"),
    )  # fmt: skip
    mode = models.CharField(_("mode"), max_length=10, choices=Accreditation.Mode.choices)
    # The CUs applied for (full: every CU of the standard).
    units = models.ManyToManyField(CompetencyUnit, related_name="+")
    channel = models.CharField(
        _("applied through"), max_length=10, choices=ppt_rules.CHANNEL_CHOICES,
        default=ppt_rules.CHANNEL_CENTRE,
    )  # fmt: skip
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    experience = models.TextField(_("work experience"))
    years = models.PositiveSmallIntegerField(_("years of experience"))
    state = models.CharField(
        _("state"), max_length=10, choices=ppt_rules.STATE_CHOICES, default=ppt_rules.DRAFT
    )
    intake = models.OneToOneField(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="ppt"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("PPT application")
        verbose_name_plural = _("PPT applications")
        indexes = [
            models.Index(fields=["centre", "-created_at"], name="skills_ppt_centre"),
            # The body's desk: newest first, a page of 50 (``selectors.ppt.applications``).
            models.Index(fields=["-created_at", "-id"], name="skills_ppt_created"),
        ]

    def __str__(self):
        return self.reference or f"PPT {self.pk}"


class PptEvidence(models.Model):
    """One evidence file for one CU of a PPT application (kept privately, see skills/files.py)."""

    application = models.ForeignKey(
        PptApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=evidence_files.private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=140)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["unit__order", "uploaded_at", "pk"]
        verbose_name = _("PPT evidence file")
        verbose_name_plural = _("PPT evidence files")

    def __str__(self):
        return f"{self.application_id} {self.unit_id} {self.name}"


class PptJudgement(models.Model):
    """How the assessor judged one CU of a PPT application (the outcome is the intake's
    ``Result``): from the evidence alone, or with an interview or a practical assessment,
    and what was asked or observed."""

    application = models.ForeignKey(
        PptApplication, on_delete=models.CASCADE, related_name="judgements"
    )
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("how it was judged"), max_length=10,
                              choices=ppt_rules.METHOD_CHOICES)  # fmt: skip
    record = models.TextField(_("what was asked or observed"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("PPT judgement")
        verbose_name_plural = _("PPT judgements")
        constraints = [
            models.UniqueConstraint(fields=["application", "unit"], name="skills_ppt_judged_once")
        ]

    def __str__(self):
        return f"{self.application_id} {self.unit_id} {self.method}"


# --- facilities self-declared and checked (Kemudahan): facility_rules, services.facilities ---
from . import facility_rules as frules  # noqa: E402  (kept in this block: merges stay simple)


class FacilityChecklist(models.Model):
    """One published version of the facilities checklist (the YAML the body keeps)."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    source = models.TextField(_("checklist (YAML)"))
    digest = models.CharField(max_length=64)
    items = models.JSONField(default=list)  # [{code, text_ms, text_en, evidence_ms, ...}]
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("facilities checklist")
        verbose_name_plural = _("facilities checklists")

    def __str__(self):
        return f"v{self.version}"


class FacilityDeclaration(models.Model):
    """A centre's declaration of its facilities for one year, and the body's check of it."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="facility_declarations",
        verbose_name=_("centre"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    checklist = models.ForeignKey(FacilityChecklist, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("status"), max_length=10, choices=frules.STATE_CHOICES, default=frules.DECLARED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("declared by"),
    )  # fmt: skip
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("checked by"),
    )  # fmt: skip
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("the body's note"), blank=True)

    class Meta:
        ordering = ["-year", "centre_id"]
        verbose_name = _("facilities declaration")
        verbose_name_plural = _("facilities declarations")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="skills_facilities_once"),
            models.CheckConstraint(
                name="skills_facilities_state_known",
                condition=models.Q(state__in=[frules.DECLARED, frules.CHECKED]),
            ),
        ]
        indexes = [models.Index(fields=["state", "declared_at"], name="skills_facilities_queue")]

    def __str__(self):
        return f"{self.centre_id} {self.year} {self.state}"


class FacilityItem(models.Model):
    """One item of a declaration: what the centre declared and what the body found."""

    declaration = models.ForeignKey(
        FacilityDeclaration, on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)
    in_place = models.BooleanField(_("in place"))
    how = models.TextField(_("what is in place"), blank=True)
    finding = models.CharField(
        _("finding"), max_length=10, choices=frules.FINDING_CHOICES, blank=True
    )
    finding_note = models.TextField(_("the body's note"), blank=True)

    class Meta:
        ordering = ["declaration_id", "order"]
        verbose_name = _("facilities item")
        verbose_name_plural = _("facilities items")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "code"], name="skills_facility_item_once"
            ),
        ]

    def __str__(self):
        return f"{self.declaration_id} {self.code}"
