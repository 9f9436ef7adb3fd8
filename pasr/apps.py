from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasrConfig(AppConfig):
    name = "pasr"
    verbose_name = _("PASR: alternative assessment for special-needs pupils")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import events, hooks, review, rollups

        registry.NAV += [("pasr.candidates", "school", _("PASR"), "pasr:home")]
        # The examinations board's page (windows, documents, override requests).
        registry.NAV += [("pasr.override", "node", _("PASR board (LP)"), "pasr:board")]
        registry.DESKTOP_CARDS.append(hooks.desktop_cards)
        registry.SCHOOL_PANELS.append(hooks.school_panels)
        registry.DEMO_SEEDERS.append(hooks.seed_demo)
        programmes.register(review.PROGRAMME)
        # The school's summary follows every change of its data, and the roll-ups after it.
        events.SCHOOL_CHANGED.append(rollups.school_changed)
        programmes.listen(review.CODE, rollups.review_changed)
        registry.NAV += [("pasr.analysis", "node", _("PASR"), "pasr:dashboard")]
