from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rollups.models import Figure, RollUp
from ssqs_portal.numbers import whole_percent


class SchoolProgress(models.Model):
    """One school's SSQS state for a cycle, kept by the workers for dashboards.

    A dashboard reads these rows (and SsqsRollUp), never the answers.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETE = "complete", _("Complete")

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="progress")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="ssqs_progress"
    )
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    state = models.ForeignKey("schools.State", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    started = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    required = models.PositiveIntegerField(default=0)
    score = models.PositiveSmallIntegerField(null=True)
    stars = models.PositiveSmallIntegerField(null=True)
    rating_status = models.CharField(max_length=12, blank=True)
    usage = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    human_capital = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    applications = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    infrastructure = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school"], name="progress_unique_per_school")
        ]
        indexes = [
            models.Index(fields=["cycle", "district"]),
            models.Index(fields=["cycle", "state"]),
        ]

    def __str__(self):
        return f"{self.school_id}: {self.status}"

    @property
    def percent(self):
        return whole_percent(self.finished, self.required)


class SsqsRollUp(RollUp):
    """Completeness and ratings of one node for an SSQS cycle (period: the cycle's year)."""

    PROGRAMME = "ssqs"

    not_started = Figure()
    in_progress = Figure()
    complete = Figure()
    verified = Figure()
    respondents_finished = Figure()
    respondents_required = Figure()
    stars_provisional = Figure(list)  # counts of 1..5 stars
    stars_final = Figure(list)
    rated = Figure()
    mean_score = Figure(Decimal)
    mean_usage = Figure(Decimal)
    mean_human_capital = Figure(Decimal)
    mean_applications = Figure(Decimal)
    mean_infrastructure = Figure(Decimal)
    # indicator -> schools with data for it: each mean is over those schools only.
    indicator_schools = Figure(dict)

    class Meta:
        proxy = True

    @property
    def percent(self):
        return whole_percent(self.respondents_finished, self.respondents_required)

    @property
    def percent_complete_schools(self):
        return whole_percent(self.complete, self.schools)


class Reminder(models.Model):
    """A reminder e-mail sent to a school that has not started (kept as a record)."""

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    to = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.school_id} {self.at:%Y-%m-%d}"


class CertificateBatch(models.Model):
    """A district's star certificates, built by a worker into one ZIP file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="certificates/", blank=True)
    error = models.TextField(blank=True)
    # Moved on at every step of the build: a queued or running batch whose
    # heartbeat stops has stalled (its worker was killed or its task lost).
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.district_id} {self.status} {self.done}/{self.total}"

    @property
    def percent(self):
        return whole_percent(self.done, self.total, empty=100)

    @property
    def is_stalled(self):
        from .rules import batch_is_stalled

        return batch_is_stalled(self.status, self.heartbeat_at, timezone.now())

    @property
    def can_restart(self):
        return self.status == self.Status.FAILED or self.is_stalled
