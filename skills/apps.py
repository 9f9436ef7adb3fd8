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
