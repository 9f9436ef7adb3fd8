from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PibkConfig(AppConfig):
    name = "pibk"
    verbose_name = _("PIBK: parent and community involvement")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import hooks, windows

        registry.NAV += [
            ("pibk.enter", "school", _("PIBK"), "pibk:home"),
            ("pibk.view", "node", _("PIBK"), "pibk:officer_home"),
        ]
        registry.DESKTOP_CARDS.append(hooks.desktop_cards)
        registry.SCHOOL_PANELS.append(hooks.school_panels)
        registry.DEMO_SEEDERS.append(hooks.seed_demo)
        programmes.register(windows.PROGRAMME)
        programmes.listen(windows.CODE, windows.review_changed)
