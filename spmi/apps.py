from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpmiConfig(AppConfig):
    name = "spmi"
    verbose_name = _("SPMI: the school's own quality cycle")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import hooks, review

        registry.NAV += [("spmi.evaluate", "school", _("SPMI"), "spmi:home")]
        registry.NAV += [("spmi.follow", "node", _("SPMI"), "spmi:home")]
        registry.DESKTOP_CARDS.append(hooks.desktop_cards)
        registry.DESKTOP_NOTICES.append(hooks.desktop_notices)
        registry.DEMO_SEEDERS.append(hooks.seed_demo)
        programmes.register(review.PROGRAMME)
