from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _centre(code: str):
    """Resolve a skills centre's code to its unit (core.people.units.CENTRE_RESOLVER)."""
    from .models import Centre

    centre = Centre.objects.filter(code__iexact=code).first()
    return centre.as_unit() if centre is not None else None


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Skills certification")

    def ready(self):
        from core.people import units

        units.CENTRE_RESOLVER = _centre

        from ssqs_portal import registry

        registry.DEMO_SEEDERS.append(_seed_certificates)


def _seed_certificates(stdout):
    """seed_demo: the demo's valid, revoked and superseded certificate numbers."""
    from schools.demo import DEMO_PASSWORD

    from .demo_certificates import seed

    return seed(stdout, DEMO_PASSWORD)
