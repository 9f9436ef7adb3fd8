from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("SSQS")

    def ready(self):
        from core.review import programmes
        from ssqs_portal import registry

        from . import hooks, review

        registry.NAV += [
            ("ssqs.roster.manage", "school", _("School profile"), "surveys:profile"),
            ("ssqs.roster.manage", "school", _("Respondent information"), "surveys:roster"),
            ("ssqs.answer", "school", _("My domains"), "surveys:domains"),
        ]
        registry.DESKTOP_CARDS.append(hooks.desktop_cards)
        registry.SCHOOL_PANELS.append(hooks.school_panels)
        registry.DEMO_SEEDERS.append(hooks.seed_demo)
        registry.SCHOOLS_IMPORTED.append(hooks.schools_imported)
        programmes.register(review.PROGRAMME)
