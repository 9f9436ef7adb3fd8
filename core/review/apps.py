from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "core.review"
    label = "review"
    verbose_name = _("Review of school data")

    def ready(self):
        from ssqs_portal import registry

        from . import hooks

        registry.DESKTOP_NOTICES.append(hooks.desktop_notices)
