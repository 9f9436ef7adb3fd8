"""API keys (one per outside system, scoped to a unit and programmes) and the log of calls."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """One outside system's key: its secret is shown once and only its SHA-256 is kept.

    The key acts with the rights of an officer grant in its unit for its
    programmes (``api.keys.principal``), so the API applies the pages' access
    rule (core.people.access) and nothing of its own.
    """

    name = models.CharField(_("system"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    unit_kind = models.CharField(_("unit kind"), max_length=12)
    unit_code = models.CharField(_("unit"), max_length=40)
    programmes = models.JSONField(_("programmes"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiCall(models.Model):
    """One call of the read API: which key (none on public endpoints), what, answer, from where.

    One INSERT per call (no update, no trigger): the API's reads in the audit
    trail, shown to administrators on the key's page.
    """

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, null=True, related_name="calls")
    at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    address = models.CharField(max_length=45, blank=True)

    class Meta:
        indexes = [models.Index(fields=["key", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
