from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules


class ReviewSubject(models.Model):
    """Where one school's data of one programme and period stands in its review.

    Keyed by programme (``"ssqs"``, ``"pibk"``, ...), year and window (a
    programme with one collection a year leaves it empty) and school. A
    subject nobody has acted on yet has no row: it reads as open.
    """

    class State(models.TextChoices):
        OPEN = rules.OPEN, _("Not reviewed")
        SUBMITTED = rules.SUBMITTED, _("Submitted")
        VERIFIED = rules.VERIFIED, _("Verified")
        RETURNED = rules.RETURNED, _("Returned")
        REOPENED = rules.REOPENED, _("Reopened")

    programme = models.CharField(_("programme"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    window = models.CharField(_("collection window"), max_length=20, blank=True)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="review_subjects",
        verbose_name=_("school"),
    )
    state = models.CharField(
        _("review status"), max_length=10, choices=State.choices, default=State.OPEN
    )
    # The comment of the last verify or return: what the school reads.
    comment = models.TextField(_("comment"), blank=True)
    reopened_until = models.DateField(_("reopened until"), null=True, blank=True)
    # The programme's figures as they stood when verified (PIBK: KPI 2's
    # volunteers and families, so the May figure stays the May figure).
    figures = models.JSONField(_("figures when verified"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review subject")
        verbose_name_plural = _("review subjects")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "window", "school"], name="review_subject_unique"
            ),
            models.CheckConstraint(
                name="review_subject_state_known",
                condition=models.Q(state__in=rules.STATES),
            ),
        ]
        indexes = [models.Index(fields=["programme", "year", "state"])]

    def __str__(self):
        window = f"/{self.window}" if self.window else ""
        return f"{self.programme} {self.year}{window} {self.school_id}: {self.state}"


class ReviewEvent(models.Model):
    """One act on a subject, kept for good: who did what, when, why, until when."""

    class Act(models.TextChoices):
        SUBMITTED = rules.SUBMIT, _("Submitted")
        VERIFIED = rules.VERIFY, _("Verified")
        RETURNED = rules.RETURN, _("Returned with a comment")
        REOPENED = rules.REOPEN, _("Reopened")

    subject = models.ForeignKey(
        ReviewSubject,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("review subject"),
    )
    act = models.CharField(_("act"), max_length=10, choices=Act.choices)
    # The return's comment, the reopening's reason: why.
    comment = models.TextField(_("comment or reason"), blank=True)
    until = models.DateField(_("open until"), null=True, blank=True)
    # What was still missing when a verification (or the school's submission) was confirmed.
    missing = models.JSONField(_("missing when verified"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # Not auto_now_add: rows carried over from the old tables keep their time.
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self):
        return f"{self.subject_id} {self.act} {self.at:%Y-%m-%d}"
