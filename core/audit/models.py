from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One change to one tracked row, written by a database trigger (PostgreSQL).

    ``before`` and ``after`` hold the changed columns only for an update, the
    whole row for an insert (``after``) or a delete (``before``); ignored
    columns are left out and secret ones appear only as "changed"/"set".
    Grouped models (answers) write one entry per group and statement, keyed
    by the registry's key (``{question: value}``), ``object_id`` being the
    group's id. ``context`` is what the act attached (actor id and username, address,
    path or command or task); ``context_id`` groups the rows of one act.
    """

    class Action(models.TextChoices):
        INSERT = "insert", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"))
    action = models.CharField(_("action"), max_length=6, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)  # app_label.modelname
    object_id = models.CharField(max_length=64)
    # No foreign key: a school's history outlives the school's row.
    school_id = models.BigIntegerField(null=True)
    record = models.JSONField(default=dict)  # the registry's describe columns
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    context_id = models.UUIDField(null=True)
    context = models.JSONField(null=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["school_id", "-id"], name="audit_entry_school"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model}#{self.object_id}"
