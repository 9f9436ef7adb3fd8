from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasrConfig(AppConfig):
    name = "pasr"
    verbose_name = _("PASR: alternative assessment for special-needs pupils")

    def ready(self):
        from core.review import programmes

        from . import review

        programmes.register(review.PROGRAMME)
