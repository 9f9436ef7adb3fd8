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

        registry.NAV += [
            ("skills.centre.view", "anywhere", _("Skills certification"), "skills:home"),
            ("skills.statistics", "anywhere", _("Skills statistics"), "skills:statistics"),
            # The executive report: the body every tier, a centre's administrator their own.
            ("skills.executive", "anywhere", _("Executive report"), "skills:executive"),
        ]
        # Complaints (Modul Aduan): the body's handlers, and a centre's administrator (theirs).
        registry.NAV += [
            ("skills.complaint.handle", "anywhere", _("Complaints"), "skills:complaints"),
            ("skills.complaint.view", "anywhere", _("Complaints"), "skills:complaints"),
        ]
        # Personnel (Modul Personel): the body's desk; a PP's or PPL's own approvals.
        registry.NAV += [
            ("skills.personnel.decide", "anywhere", _("Personnel"), "skills:personnel_desk"),
            ("skills.assess", "anywhere", _("My approvals (PP/PPL)"), "skills:personnel_mine"),
            ("skills.verify", "anywhere", _("My approvals (PP/PPL)"), "skills:personnel_mine"),
        ]
        # PPT (recognition of prior achievement): the centres' applications, the body's desk.
        registry.NAV += [("skills.ppt.view", "anywhere", _("PPT"), "skills:ppt_desk")]
        # The centre star rating's list and the facilities declarations awaiting a check:
        # the body's.
        registry.NAV += [
            ("skills.rating.manage", "anywhere", _("Star ratings"), "skills:ratings"),
            ("skills.facilities.check", "anywhere", _("Facilities checks"),
             "skills:facility_declarations"),
        ]  # fmt: skip
        registry.LANDINGS.append(_trainee_landing)
        registry.DEMO_SEEDERS.append(_seed_demo)


def _trainee_landing(user):
    """A trainee with no other role lands on their own page (results and certificates)."""
    from .models import Trainee

    return ("skills:me", ()) if Trainee.objects.filter(user=user).exists() else None


def _seed_demo(stdout):
    """seed_demo: the skills world, its logins and one valid, revoked and superseded number."""
    from schools.demo import DEMO_PASSWORD

    from .demo import seed

    return seed(stdout, DEMO_PASSWORD)
