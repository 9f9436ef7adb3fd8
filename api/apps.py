from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Read API")

    def ready(self):
        from ssqs_portal import registry

        registry.NAV += [("api.keys", "anywhere", _("API keys"), "api_keys:list")]
        registry.DEMO_SEEDERS.append(_seed_demo)


def _seed_demo(stdout):
    from .demo import seed

    return seed(stdout)
