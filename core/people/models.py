from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles, units


def _roles_in_their_kinds():
    return models.Q(
        *[
            models.Q(role=role, unit_kind__in=list(kinds))
            for role, (kinds, _programmes) in roles.ROLES.items()
            if role != roles.RESPONDENT_ACCOUNT
        ],
        _connector=models.Q.OR,
    )


class RoleGrant(models.Model):
    """A person's role in one unit, for some programmes (none named: all the role covers).

    The unit is (kind, code): the ministry's own tables are the units (a
    school's code, a district's or state's code, ``KPM``, ``JPK``, a skills
    centre's code), so no mirror table of ten thousand units is kept.
    """

    class Role(models.TextChoices):
        HEAD = roles.HEAD, _("Head (Guru Besar / Pengetua)")
        ICT_COORDINATOR = roles.ICT_COORDINATOR, _("ICT coordinator (Guru Penyelaras ICT)")
        EXAM_SECRETARY = roles.EXAM_SECRETARY, _("Exam secretary (Setiausaha Peperiksaan)")
        SUBJECT_HEAD = roles.SUBJECT_HEAD, _("Subject head (Ketua Panitia)")
        PIBK_COORDINATOR = roles.PIBK_COORDINATOR, _("PIBK coordinator")
        QUALITY_TEAM = roles.QUALITY_TEAM, _("Quality team")
        TEACHER = roles.TEACHER, _("Teacher")
        OFFICER = roles.OFFICER, _("Officer")
        LP_OFFICER = roles.LP_OFFICER, _("Examinations board officer (LP)")
        CENTRE_ADMIN = roles.CENTRE_ADMIN, _("Skills centre administrator")
        ASSESSOR = roles.ASSESSOR, _("Assessor")
        VERIFIER = roles.VERIFIER, _("External verifier")
        CERTIFICATION_OFFICER = roles.CERTIFICATION_OFFICER, _("Certification officer")
        ADMIN = roles.ADMIN, _("Ministry administrator")

    class UnitKind(models.TextChoices):
        NATION = units.NATION, _("Nation (KPM)")
        STATE = units.STATE, _("State (JPN)")
        DISTRICT = units.DISTRICT, _("District (PPD)")
        SCHOOL = units.SCHOOL, _("School")
        SKILLS_BODY = units.SKILLS_BODY, _("Skills body (JPK)")
        CENTRE = units.CENTRE, _("Skills centre")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit_kind = models.CharField(_("unit kind"), max_length=20, choices=UnitKind.choices)
    unit_code = models.CharField(_("unit code"), max_length=40)
    # A JSON list works alike on SQLite and PostgreSQL; empty means every
    # programme the role covers.
    programmes = models.JSONField(_("programmes"), default=list, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["unit_kind", "unit_code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit_kind", "unit_code"], name="rolegrant_unique"
            ),
            # A known role, and each only in the kinds of unit it may be held in
            # (roles.ROLES): no officer in a school, no head in a district.
            models.CheckConstraint(
                name="rolegrant_role_in_its_kind",
                condition=_roles_in_their_kinds(),
            ),
        ]
        indexes = [models.Index(fields=["unit_kind", "unit_code"], name="rolegrant_unit")]

    def __str__(self):
        return f"{self.user} {self.role} @ {self.unit_code}"
