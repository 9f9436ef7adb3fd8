from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "core.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ssqs_portal import registry

        from . import context, hooks, triggers

        triggers.register_all()
        context.connect_signals()
        context.wrap_management_commands()
        registry.SCHOOL_PANELS.append(hooks.school_panels)
