"""SPMI: a school's own quality cycle (domain.md 5, seed 001).

Standards are data, versioned: a ``StandardSet`` (version N) holds standards,
their criteria and each criterion's indicators, every indicator naming its
source (``sources.SOURCES``: a portal figure, or the school's own evidence).
A new version is a new set; a school's ``Cycle`` keeps the set it opened with,
so earlier cycles keep theirs.

A cycle's steps: 1 mapping (``Figure`` rows pre-filled from the portal, a
``CriterionRating`` per criterion), 2 the plan (``Action`` rows, approved by
the head), 3-4 carrying out and monitoring (``Progress`` rows, an action
closes with evidence and a re-measured figure), 5 the next cycle.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rollups.models import Figure as RollUpFigure
from core.rollups.models import RollUp

from . import rules


class StandardSet(models.Model):
    """One version of the national standards (the ministry's; never edited in place)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    checksum = models.CharField(max_length=64)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("SPMI standard set")
        verbose_name_plural = _("SPMI standard sets")

    def __str__(self):
        return f"SPMI v{self.version}"


class Standard(models.Model):
    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="standards"
    )
    code = models.CharField(_("code"), max_length=20)
    name_ms = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["standard_set", "code"], name="spmi_standard_code")
        ]

    def __str__(self):
        return self.code


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    name_ms = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="spmi_criterion_code")
        ]

    def __str__(self):
        return self.code


class Indicator(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name_ms = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    source = models.CharField(_("source"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="spmi_indicator_code")
        ]

    def __str__(self):
        return self.code

    @property
    def is_portal(self):
        return self.source != rules.EVIDENCE


class Cycle(models.Model):
    """A school's quality cycle of one year, against the standard set it opened with."""

    class Stage(models.TextChoices):
        MAPPING = "mapping", _("Step 1: mapping (self-evaluation)")
        PLANNING = "planning", _("Step 2: improvement plan")
        CARRYING_OUT = "carrying_out", _("Steps 3-4: carrying out and monitoring")
        CLOSED = "closed", _("Step 5: closed, next cycle set")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="spmi")
    year = models.PositiveIntegerField(_("year"))
    standard_set = models.ForeignKey(StandardSet, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.MAPPING
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Seed 001's model school (sekolah model): its plan is open to other schools as an example.
    is_model = models.BooleanField(_("model school"), default=False)
    model_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "school__code"]
        verbose_name = _("SPMI cycle")
        verbose_name_plural = _("SPMI cycles")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="spmi_cycle_school_year")
        ]
        indexes = [models.Index(fields=["year", "stage"])]

    def __str__(self):
        return f"{self.school_id} SPMI {self.year}"


class Figure(models.Model):
    """A portal-sourced indicator's figures for a cycle: this year's and last year's.

    Written by the opening in bulk (derived: not in the audit trail).
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    current = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    previous = models.DecimalField(max_digits=7, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "indicator"], name="spmi_figure_unique")
        ]

    def __str__(self):
        return f"{self.cycle_id}/{self.indicator_id}: {self.current}"


class CriterionRating(models.Model):
    """The quality team's rating of one criterion on the descriptor scale, with evidence."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("rating"), choices=rules.LEVEL_CHOICES)
    evidence = models.TextField(_("evidence"))
    justification = models.TextField(_("justification"), blank=True)
    priority = models.BooleanField(_("priority for the plan"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SPMI criterion rating")
        verbose_name_plural = _("SPMI criterion ratings")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion"], name="spmi_rating_unique"),
            models.CheckConstraint(
                name="spmi_rating_level", condition=models.Q(level__gte=1, level__lte=4)
            ),
        ]

    def __str__(self):
        return f"{self.cycle_id}/{self.criterion_id}: {self.level}"


class Action(models.Model):
    """One improvement-plan action (domain.md 5: every field it names)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Closed, target met")
        NOT_MET = "not_met", _("Closed, target not met")
        ROLLED = "rolled", _("Rolled into the next cycle")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator measured")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=7, decimal_places=2, null=True)
    baseline_source = models.CharField(_("baseline source"), max_length=200)
    goal = models.TextField(_("goal"))
    target = models.DecimalField(_("target"), max_digits=7, decimal_places=2)
    target_date = models.DateField(_("target date"))
    implements = models.CharField(_("who implements"), max_length=200)
    assists = models.CharField(_("who assists"), max_length=200, blank=True)
    oversees = models.CharField(_("who oversees"), max_length=200)
    resources = models.TextField(_("resources"), blank=True)
    success = models.TextField(_("success criterion"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    remeasured = models.DecimalField(
        _("re-measured figure"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    closing_evidence = models.TextField(_("closing evidence"), blank=True)
    review = models.TextField(_("review"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rolled_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_into"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("SPMI action")
        verbose_name_plural = _("SPMI actions")
        constraints = [
            # domain.md 5: "An action cannot close without evidence and a re-measured figure".
            models.CheckConstraint(
                name="spmi_action_closes_with_evidence",
                condition=models.Q(status__in=["open", "rolled"])
                | (models.Q(remeasured__isnull=False) & ~models.Q(closing_evidence="")),
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.criterion_id}: {self.goal[:40]}"


class Progress(models.Model):
    """A dated progress update on an action, with its evidence (steps 3-4)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("date"))
    note = models.TextField(_("what was done"))
    evidence = models.TextField(_("evidence"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("SPMI progress update")
        verbose_name_plural = _("SPMI progress updates")

    def __str__(self):
        return f"{self.action_id} {self.on}"


class HeldLevel(models.Model):
    """Step 5: a met target becomes the level the school holds itself to on an indicator."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="held_levels")
    indicator_code = models.CharField(max_length=60)  # criterion/indicator codes: across versions
    level = models.DecimalField(max_digits=7, decimal_places=2)
    from_action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "indicator_code"], name="spmi_held_unique")
        ]

    def __str__(self):
        return f"{self.cycle_id} {self.indicator_code}: {self.level}"


def _evidence_upload(instance, filename):
    return f"spmi/{instance.school_id}/{instance.kind}/{filename}"


class EvidenceFile(models.Model):
    """A file the quality team attaches as evidence to a rating or a progress update.

    Checked before it is kept (``spmi.evidence``: size before reading, PDF or image by
    its first bytes); stored under MEDIA_ROOT, which the web server does not serve:
    a view hands it to those who may see the school's cycle.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    rating = models.ForeignKey(CriterionRating, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="files")  # fmt: skip
    progress = models.ForeignKey(Progress, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="files")  # fmt: skip
    kind = models.CharField(max_length=10)  # pdf | png | jpeg
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=_evidence_upload)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="spmi_evidence_belongs_to_one",
                condition=models.Q(rating__isnull=False, progress__isnull=True)
                | models.Q(rating__isnull=True, progress__isnull=False),
            )
        ]

    def __str__(self):
        return self.name


class SpmiRollUp(RollUp):
    """SPMI's figures of one node for a year (period): the schools' cycles by stage, their
    actions, the overdue ones (on the day of the rebuild) and model schools."""

    PROGRAMME = "spmi"

    mapping = RollUpFigure()  # cycles in step 1
    planning = RollUpFigure()  # ... step 2
    carrying_out = RollUpFigure()  # ... steps 3-4
    closed = RollUpFigure()  # ... step 5 done
    actions = RollUpFigure()
    met = RollUpFigure()
    overdue = RollUpFigure()  # open actions past their date
    with_overdue = RollUpFigure()  # schools with at least one overdue action
    models = RollUpFigure()  # model schools

    class Meta:
        proxy = True
