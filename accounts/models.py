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

    A school's code login (username = the school code) and its respondent
    account (the code plus "R": one shared account, the person is chosen
    afterwards by tag number) are the school's shared accounts, both bound to
    the school. Everyone else is a person. What any of them may see or do is
    decided by their roles (``core.people``: ``RoleGrant`` rows read by
    ``core.people.access``) and nothing else; ``role`` says only which kind
    of account this is.
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("School code account")
        RESPONDENT = "respondent", _("School respondent account")
        PERSON = "person", _("Person")

    role = models.CharField(
        _("account kind"), max_length=20, choices=Role.choices, default=Role.PERSON
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="accounts"
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
    def is_respondent_account(self):
        """The school's shared respondent account (code + R)."""
        return self.role == self.Role.RESPONDENT

    def scope_label(self):
        """Return the names of the units this user answers for."""
        from core.people.access import scope_label

        return scope_label(self)
