from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# 3 letters, then 4 letters or digits: 241 real codes look like ABAA001.
SCHOOL_CODE_REGEX = r"^[A-Z]{3}[A-Z0-9]{4}$"
school_code_validator = RegexValidator(
    SCHOOL_CODE_REGEX,
    _("A school code is 3 letters then 4 letters or digits, e.g. BBA5008."),
)

# The ministry's designation of a small school (Sekolah Kurang Murid).
SKM_MAX_ENROLMENT = 150


class State(models.Model):
    """A state education department (JPN), e.g. JHR Johor."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    iso = models.CharField(_("ISO 3166-2 code"), max_length=5, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self):
        return self.name


class District(models.Model):
    """A district education office (PPD) within one state."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["state__name", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="district_unique_name_in_state")
        ]

    def __str__(self):
        return self.name


class School(models.Model):
    """A school in the ministry's list, with the columns the portal uses."""

    class Level(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")

    code = models.CharField(
        _("school code"), max_length=7, unique=True, validators=[school_code_validator]
    )
    name = models.CharField(_("name"), max_length=150)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    type = models.CharField(_("type"), max_length=20, help_text=_("SK, SJKC, SMK, ..."))
    enrolment = models.PositiveIntegerField(_("enrolment"), null=True, blank=True)
    special_enrolment = models.PositiveIntegerField(
        _("special-education enrolment"), null=True, blank=True
    )
    preschool_enrolment = models.PositiveIntegerField(
        _("preschool enrolment"), null=True, blank=True
    )
    teachers = models.PositiveIntegerField(_("teachers"), null=True, blank=True)
    has_ppki = models.BooleanField(
        _("integrated special-education programme (PPKI)"), default=False
    )
    is_skm = models.BooleanField(_("small school (SKM)"), default=False)
    is_kpm = models.BooleanField(
        _("KPM school"), default=True, help_text=_("Schools outside KPM are left out of KPIs.")
    )
    parliament = models.CharField(_("parliamentary constituency"), max_length=80, blank=True)
    dun = models.CharField(_("state constituency (DUN)"), max_length=80, blank=True)
    location = models.CharField(_("location"), max_length=20, blank=True)
    grade = models.CharField(_("grade"), max_length=5, blank=True)
    assistance = models.CharField(_("assistance"), max_length=10, blank=True)
    sessions = models.CharField(_("sessions"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.CharField(_("e-mail"), max_length=120, blank=True)
    longitude = models.DecimalField(
        _("longitude"), max_digits=12, decimal_places=8, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=12, decimal_places=8, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        indexes = [models.Index(fields=["district", "code"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                name="school_code_format",
                condition=models.Q(code__regex=SCHOOL_CODE_REGEX),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("schools:detail", args=[self.code])

    @staticmethod
    def derive_is_skm(enrolment, level):
        """Return whether a school is small (SKM) when the ministry did not say.

        The ministry's list carries its own SKM<=150 flag, which is used as
        given; this rule fills in only for schools created without it.
        """
        return (
            level == School.Level.PRIMARY
            and enrolment is not None
            and (enrolment <= SKM_MAX_ENROLMENT)
        )
