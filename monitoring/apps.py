from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import hooks

        registry.NAV += [
            ("monitoring.view", "node", _("Monitoring"), "monitoring:home"),
            ("monitoring.view", "node", _("SSQS results"), "monitoring:results"),
        ]
        registry.RATING_CHANGED.append(hooks.rating_changed)
        registry.CYCLE_RECOMPUTED.append(hooks.cycle_recomputed)
        registry.SCHOOLS_RECOMPUTED.append(hooks.schools_recomputed)
        registry.SCHOOL_PANELS.append(hooks.school_panels)
        registry.DEMO_SEEDERS.append(hooks.seed_demo)
        programmes.listen("ssqs", hooks.review_changed)
