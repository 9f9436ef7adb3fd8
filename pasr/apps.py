from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasrConfig(AppConfig):
    name = "pasr"
    verbose_name = _("PASR: alternative assessment for special-needs pupils")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import hooks, review

        registry.NAV += [("pasr.candidates", "school", _("PASR"), "pasr:home")]
        registry.DESKTOP_CARDS.append(hooks.desktop_cards)
        registry.SCHOOL_PANELS.append(hooks.school_panels)
        programmes.register(review.PROGRAMME)
