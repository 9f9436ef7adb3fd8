from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rollups.models import Figure, RollUp

from . import rules
from .kpi import DEFAULT_TARGETS, KPI2_GOAL_YEAR

ACTIVITY_CHOICES = [(code, name) for code, name in rules.ACTIVITIES.items()]


class PibkYear(models.Model):
    """One PIBK year and its targets (editable by national admins)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    kpi1_target = models.DecimalField(
        _("KPI 1 target (percent of schools reaching 65 percent)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TARGETS["kpi1"],
    )
    kpi2_target = models.DecimalField(
        _("KPI 2 target for the year (percent of families volunteering)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TARGETS["kpi2"],
    )
    kpi2_goal = models.DecimalField(
        _("KPI 2 long-term goal (percent)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TARGETS["kpi2_goal"],
    )
    kpi2_goal_year = models.PositiveIntegerField(_("KPI 2 goal year"), default=KPI2_GOAL_YEAR)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("PIBK year")
        verbose_name_plural = _("PIBK years")
        constraints = [
            models.CheckConstraint(
                name="pibk_targets_are_percent",
                condition=models.Q(
                    kpi1_target__gte=0,
                    kpi1_target__lte=100,
                    kpi2_target__gte=0,
                    kpi2_target__lte=100,
                    kpi2_goal__gte=0,
                    kpi2_goal__lte=100,
                ),
            )
        ]

    def __str__(self):
        return f"PIBK {self.year}"

    @property
    def goal_ahead(self):
        """Whether the KPI 2 goal year is this year or later (2020's goal is not shown in 2026)."""
        return self.kpi2_goal_year >= self.year


class SchoolYear(models.Model):
    """A school's PIBK record for one year, with the figures the dashboards read.

    ``families`` and ``volunteers`` feed KPI 2; ``average`` and ``reaches``
    (KPI 1) are kept by the services from the activities, so a roll-up reads
    one row per school and never the register.
    """

    class Mode(models.TextChoices):
        REGISTER = "register", _("Family register")
        COUNTS = "counts", _("Counts only")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="pibk")
    year = models.PositiveIntegerField(_("year"))
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    state = models.ForeignKey("schools.State", on_delete=models.CASCADE, related_name="+")
    is_kpm = models.BooleanField(default=True)
    mode = models.CharField(_("how data is entered"), max_length=10, choices=Mode.choices)
    families = models.PositiveIntegerField(_("families in the school"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteering families"), default=0)
    average = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    counted = models.PositiveSmallIntegerField(default=0)  # activities in the average
    reaches = models.BooleanField(null=True)  # average >= 65, from the exact value
    verified_windows = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "school__code"]
        verbose_name = _("school's PIBK year")
        verbose_name_plural = _("schools' PIBK years")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="pibk_school_year_unique"),
            models.CheckConstraint(
                name="pibk_volunteers_within_families",
                condition=models.Q(volunteers__lte=models.F("families")),
            ),
            models.CheckConstraint(
                name="pibk_families_within_limit",
                condition=models.Q(families__lte=rules.MAX_FAMILIES),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "district"]),
            models.Index(fields=["year", "state"]),
        ]

    def __str__(self):
        return f"{self.school_id} PIBK {self.year}"

    @property
    def kpi2(self):
        """The school's KPI 2 in percent (pibk.kpi.kpi2), or None with no families."""
        from .kpi import kpi2

        return kpi2(self.volunteers, self.families)


class Activity(models.Model):
    """One of the six activities at one school in one year: when, who was expected, who came.

    In register mode ``expected`` and ``attended`` are counted from the register
    and the ticks while the window is open, and stay as they were once it is
    locked; in counts mode the school enters them.
    """

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("activity"), max_length=1, choices=ACTIVITY_CHOICES)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    expected = models.PositiveIntegerField(_("parents expected (families)"), default=0)
    attended = models.PositiveIntegerField(_("parents who attended (families)"), default=0)

    class Meta:
        ordering = ["school_year", "code"]
        verbose_name = _("PIBK activity")
        verbose_name_plural = _("PIBK activities")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "code"], name="pibk_activity_unique"),
            models.CheckConstraint(
                name="pibk_attended_within_expected",
                condition=models.Q(attended__lte=models.F("expected")),
            ),
            models.CheckConstraint(
                name="pibk_activity_code_known", condition=models.Q(code__in=rules.CODES)
            ),
            models.CheckConstraint(
                name="pibk_expected_within_limit",
                condition=models.Q(expected__lte=rules.MAX_FAMILIES),
            ),
        ]

    def __str__(self):
        return f"{self.school_year_id}/{self.code}"


class Family(models.Model):
    """A family (parents or guardian) in a school's register: one, however many children."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="register")
    key = models.CharField(_("family identifier"), max_length=40)
    guardian = models.CharField(_("parent or guardian"), max_length=120, blank=True)

    class Meta:
        ordering = ["guardian", "key"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "key"], name="pibk_family_key_unique")
        ]

    def __str__(self):
        return f"{self.key} {self.guardian}".strip()


class Pupil(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="pupils")
    name = models.CharField(_("pupil"), max_length=120)
    year_group = models.CharField(_("year or form"), max_length=3)
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    sports = models.BooleanField(_("takes part in sports day"), default=False)
    award = models.BooleanField(_("receives an award"), default=False)

    class Meta:
        ordering = ["year_group", "class_name", "name"]
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """A family's attendance at one activity (one tick, however many parents came)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ticks")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="attendance")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "family"], name="pibk_attendance_once")
        ]

    def __str__(self):
        return f"{self.activity_id}: {self.family_id}"


class Volunteer(models.Model):
    """A family that volunteered in a PIBG or school activity this year (once, however often)."""

    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="volunteering"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="volunteering")
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_year", "family"], name="pibk_volunteer_once")
        ]

    def __str__(self):
        return f"{self.school_year_id}: {self.family_id}"


class PibkRollUp(RollUp):
    """KPI 1 and KPI 2 of one node for a PIBK year (period); KPM schools only."""

    PROGRAMME = "pibk"

    reporting = Figure()  # KPM schools with an average to count (schools: with a PIBK record)
    reaching = Figure()  # average >= 65
    kpi1 = Figure(Decimal)
    families = Figure()  # sums over every school (JSON numbers: no column to overflow)
    volunteers = Figure()
    kpi2 = Figure(Decimal)
    mean_average = Figure(Decimal)
    activity_rates = Figure(dict)  # code -> node rate (percent) or None
    verified = Figure(dict)  # window -> schools verified

    class Meta:
        proxy = True

    @property
    def year(self):
        return self.period

    @property
    def not_reporting(self):
        """KPM schools with a PIBK record but nothing to count yet (no activity held)."""
        return max(0, self.schools - self.reporting)
