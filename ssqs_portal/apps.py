from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ssqs_portal"
    verbose_name = "SSQS Portal"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
