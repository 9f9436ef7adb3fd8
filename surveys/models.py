import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .instrument import CATEGORIES, parse_instrument

# Parsed instruments by (id, checksum): a page reads the checksum, never the
# whole data, unless this process has not parsed that version yet.
_SPECS: dict = {}


class Instrument(models.Model):
    """One year's SSQS instrument, as loaded (and validated) from its data file."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    data = models.JSONField(_("instrument data"))
    checksum = models.CharField(max_length=64)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("SSQS instrument")
        verbose_name_plural = _("SSQS instruments")

    def __str__(self):
        return f"SSQS {self.year}"

    @property
    def spec(self):
        """Return the parsed instrument, cached per process until it is reloaded."""
        key = (self.pk, self.checksum)
        if key not in _SPECS:
            if "data" in self.get_deferred_fields():
                data = Instrument.objects.values_list("data", flat=True).get(pk=self.pk)
            else:
                data = self.data
            if len(_SPECS) > 16:
                _SPECS.clear()
            _SPECS[key] = parse_instrument(data)
        return _SPECS[key]


class Cycle(models.Model):
    """One year of SSQS: briefing in July, filling and monitoring in August by default."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="cycles")
    briefing_on = models.DateField(_("briefing date"))
    opens_on = models.DateField(_("filling opens"))
    closes_on = models.DateField(_("filling closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("SSQS cycle")
        verbose_name_plural = _("SSQS cycles")
        constraints = [
            models.CheckConstraint(
                name="cycle_window_in_order",
                condition=models.Q(opens_on__lte=models.F("closes_on")),
            )
        ]

    def __str__(self):
        return f"SSQS {self.year}"

    @staticmethod
    def default_dates(year):
        """Return (briefing, opens, closes): 1 July briefing, filling through August."""
        return (datetime.date(year, 7, 1), datetime.date(year, 8, 1), datetime.date(year, 8, 31))


class Respondent(models.Model):
    """One person on a school's roster for a cycle, known by a tag number."""

    class Category(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        COORDINATOR = "coordinator", _("ICT coordinator")
        TEACHER = "teacher", _("Teacher")
        PUPIL = "pupil", _("Pupil")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="respondents")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="respondents"
    )
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    number = models.PositiveSmallIntegerField(_("number in category"))
    tag = models.CharField(_("tag number"), max_length=8)
    name = models.CharField(_("name written on the slip"), max_length=120, blank=True)
    is_extra = models.BooleanField(_("added beyond the required number"), default=False)
    completed_domains = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When this respondent last chose their tag or saved: who is answering now
    # (the coordinator is warned before a password change logs them out).
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "category", "number"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "school", "tag"], name="respondent_tag_unique_in_school"
            ),
            models.UniqueConstraint(
                fields=["cycle", "school", "category", "number"],
                name="respondent_number_unique_in_category",
            ),
            models.CheckConstraint(
                name="respondent_category_known", condition=models.Q(category__in=CATEGORIES)
            ),
        ]
        indexes = [models.Index(fields=["cycle", "school", "completed_at"])]

    def __str__(self):
        return f"{self.school_id}/{self.get_category_display()} {self.number} ({self.tag_display})"

    @property
    def tag_display(self):
        return f"{self.tag[:4]}-{self.tag[4:]}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class Answer(models.Model):
    """One respondent's answer to one question (by code), saved question by question."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40)
    value = models.JSONField()
    # The points this value earns under the cycle's instrument, written with the
    # value (surveys.bulk.answer_points) and re-derived whenever the instrument
    # is reloaded; null where the question is not scored or not asked of the
    # respondent's category. The national recompute only adds these up.
    points = models.SmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="answer_unique_per_question"
            )
        ]

    def __str__(self):
        return f"{self.respondent_id}/{self.question}"


class SaveReceipt(models.Model):
    """The last save applied from one browser to one respondent's domain.

    A browser numbers its saves (``seq``, rising); a save it sends again after
    a lost answer, or an older one arriving late, carries a number not above
    the last applied and is answered "saved" without being written again.
    """

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=40)
    client = models.CharField(max_length=40)
    seq = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "domain", "client"], name="save_receipt_unique"
            )
        ]

    def __str__(self):
        return f"{self.respondent_id}/{self.domain}/{self.client}: {self.seq}"


class ProfileAnswer(models.Model):
    """The school profile's "Lain-lain" facts for a cycle, entered by the coordinator."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="profile_answers")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="ssqs_profile_answers"
    )
    question = models.CharField(max_length=40)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "school", "question"], name="profile_answer_unique_per_question"
            )
        ]

    def __str__(self):
        return f"{self.school_id}/{self.question}"


class Rating(models.Model):
    """A school's computed SSQS rating for a cycle (written only by the recompute)."""

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional")
        FINAL = "final", _("Final")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="ssqs_ratings"
    )
    usage = models.DecimalField(_("usage"), max_digits=5, decimal_places=2)
    human_capital = models.DecimalField(_("human capital"), max_digits=5, decimal_places=2)
    applications = models.DecimalField(_("applications"), max_digits=5, decimal_places=2)
    infrastructure = models.DecimalField(_("infrastructure"), max_digits=5, decimal_places=2)
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("band"), max_length=20)
    stars = models.PositiveSmallIntegerField(_("stars"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    respondents_finished = models.PositiveIntegerField(default=0)
    respondents_required = models.PositiveIntegerField(default=0)
    breakdown = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("SSQS rating")
        verbose_name_plural = _("SSQS ratings")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school"], name="rating_unique_per_school"),
            models.CheckConstraint(name="rating_score_0_100", condition=models.Q(score__lte=100)),
            models.CheckConstraint(
                name="rating_stars_1_5", condition=models.Q(stars__gte=1, stars__lte=5)
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.cycle_id}: {self.score} ({self.stars}*)"

    def indicator_scores(self):
        return {
            code: getattr(self, code)
            for code in ("usage", "human_capital", "applications", "infrastructure")
        }


class RatingMark(models.Model):
    """A school whose rating must be recomputed, written in the same transaction as the save.

    The debounced task removes it once the rating is recomputed (only if no
    later save marked it again); the periodic task recomputes every school
    still marked, so a rating converges even when the enqueue was lost.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school"], name="rating_mark_unique")
        ]

    def __str__(self):
        return f"{self.school_id} {self.cycle_id} marked {self.marked_at}"
