from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # School codes are typed in any case ("bba5008" is BBA5008).
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person or shared account that logs in to the portal.

    A school's coordinator logs in with the school code; the school's
    respondent account with the code plus "R" (one shared account, the person
    is chosen afterwards by tag number). Officers are scoped to one node of
    the hierarchy. What a user may see is decided by
    ``ssqs_portal.scoping.schools_for_user`` and nothing else.
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("School coordinator")
        RESPONDENT = "respondent", _("School respondent account")
        OFFICER = "officer", _("Officer")
        ADMIN = "admin", _("Ministry administrator")

    class Level(models.TextChoices):
        DISTRICT = "district", _("District (PPD)")
        STATE = "state", _("State (JPN)")
        NATIONAL = "national", _("National (KPM)")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ADMIN)
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="accounts"
    )
    level = models.CharField(_("officer level"), max_length=10, choices=Level.choices, blank=True)
    state = models.ForeignKey(
        "schools.State", on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    district = models.ForeignKey(
        "schools.District", on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for default or imported passwords; cleared by the first change."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Upper("username"), name="user_username_upper_unique"),
            models.CheckConstraint(
                name="user_school_role_has_school",
                condition=~models.Q(role__in=["coordinator", "respondent"])
                | models.Q(school__isnull=False),
            ),
            models.CheckConstraint(
                name="user_officer_has_node",
                condition=~models.Q(role="officer")
                | models.Q(level="national")
                | models.Q(level="state", state__isnull=False)
                | models.Q(level="district", district__isnull=False),
            ),
        ]

    def __str__(self):
        return self.username

    def check_password(self, raw_password):
        """Check the password; re-hash an outdated hash only if nobody else has.

        Django's own upgrade writes a fresh hash at every login that finds an
        old one. On a shared account (the school's code + R, used by a whole
        lab at once) concurrent logins would each write a different hash, and
        since a session is bound to the hash, each would log the others out.
        Here only the first upgrade is written (compare-and-swap on the old
        hash); the others adopt the stored one.
        """
        stored = self.password

        def upgrade(raw_password):
            if self.pk is None:
                self.set_password(raw_password)
                return
            accounts = type(self)._default_manager.filter(pk=self.pk)
            new = make_password(raw_password)
            if accounts.filter(password=stored).update(password=new):
                self.password = new
            else:
                self.password = accounts.values_list("password", flat=True).get()
            self._password = None  # an upgrade is not a password change

        return check_password(raw_password, stored, upgrade)

    @property
    def is_school_user(self):
        return self.role in (self.Role.COORDINATOR, self.Role.RESPONDENT)

    @property
    def is_coordinator(self):
        return self.role == self.Role.COORDINATOR

    @property
    def is_respondent_account(self):
        return self.role == self.Role.RESPONDENT

    @property
    def is_officer(self):
        return self.role == self.Role.OFFICER

    @property
    def is_ministry_admin(self):
        return self.is_superuser or self.role == self.Role.ADMIN

    def scope_label(self):
        """Return the name of the node this user answers for."""
        if self.is_school_user and self.school_id:
            return f"{self.school.code} {self.school.name}"
        if self.is_officer:
            if self.level == self.Level.DISTRICT and self.district_id:
                return self.district.name
            if self.level == self.Level.STATE and self.state_id:
                return self.state.name
            return _("National (KPM)")
        return _("Ministry administrator")
