"""Finding skills objects for a person: every view goes through here (the one access rule).

A centre's records are found within the centres where the person may do the
act (``core.people.access.can`` on the centre's unit): 403 for someone who
may do it nowhere, 404 for a centre outside their scope, like a missing one.
An external verifier acts only on the intakes the body assigned to them; a
trainee sees only their own record.

Personnel (Modul Personel): holding the assessor or verifier role is not enough to
serve. ``intake_for(..., "skills.assess")`` and ``"skills.verify"`` also need the
person's approval as PP (PPL) for the intake's standard in force today
(``skills.selectors.personnel.approval_in_force``); without it the answer is 403 with
the page saying why (``NotApproved``), after the 403/404 of scope, so an intake outside
the person's centres stays a 404 as before.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.people import access

from .models import Centre, Intake, Trainee


def centre_for(user, code: str, act: str) -> Centre:
    if not access.can(user, act):
        raise PermissionDenied
    if "\x00" in (code or ""):
        raise Http404
    centre = get_object_or_404(Centre, code=code)
    if not access.can(user, act, centre):
        raise Http404
    return centre


class NotApproved(PermissionDenied):
    """403: the person holds the role but no approval in force for the standard.

    ``message_shown`` is what the 403 page says (``ssqs_portal.views.error_403``).
    """

    def __init__(self, message):
        super().__init__(message)
        self.message_shown = message
        self.link_shown = ("skills:personnel_mine", _personnel_page_label())


def _personnel_page_label():
    from django.utils.translation import gettext as _

    return _("My approvals (PP/PPL)")


# The act on an intake that needs a personnel approval, and as what.
SERVING = {"skills.assess": "pp", "skills.verify": "ppl"}


def require_approval(user, act: str, intake: Intake, on=None) -> None:
    """Raise ``NotApproved`` unless ``user`` is approved for ``act`` on ``intake``'s standard
    on ``on`` (today): as PP for ``skills.assess``, as PPL for ``skills.verify``."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .selectors.personnel import approval_in_force

    role = SERVING.get(act)
    if role is None:
        return
    on = on or timezone.localdate()
    standard = intake.accreditation.standard
    if approval_in_force(user, role, standard, on) is None:
        message = (
            _("You have no approval as assessor (PP) for %(code)s in force on %(date)s. "
              "Apply, or renew, on your personnel page.")
            if role == "pp"
            else _("You have no approval as external verifier (PPL) for %(code)s in force on "
                   "%(date)s. Apply, or renew, on your personnel page.")
        ) % {"code": standard.code, "date": on.isoformat()}  # fmt: skip
        raise NotApproved(message)


def intake_for(user, code: str, pk: int, act: str) -> Intake:
    """Return intake ``pk`` of centre ``code`` where ``user`` may do ``act``.

    ``skills.verify``: only the verifier the body assigned to the intake.
    ``skills.assess`` and ``skills.verify``: only with an approval in force today as PP
    (PPL) for the intake's standard (``NotApproved``, 403, otherwise).
    """
    if act == "skills.verify":
        if not access.can(user, act):
            raise PermissionDenied
        intake = get_object_or_404(
            Intake.objects.select_related("centre", "accreditation__standard"),
            pk=pk, centre__code=code,
        )  # fmt: skip
        if intake.verifier_id != user.pk:
            raise Http404
        require_approval(user, act, intake)
        return intake
    centre = centre_for(user, code, act)
    intake = get_object_or_404(
        Intake.objects.select_related("centre", "accreditation__standard"), pk=pk, centre=centre
    )
    require_approval(user, act, intake)
    return intake


def own_trainee(user) -> Trainee:
    """The trainee record of the person signed in (404 if they have none)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return get_object_or_404(Trainee, user=user)


def centres_for(user, act: str):
    """The centres where ``user`` may do ``act`` (one query)."""
    if not access.can(user, act):
        return Centre.objects.none()
    codes = [c.code for c in Centre.objects.only("code", "name") if access.can(user, act, c)]
    return Centre.objects.filter(code__in=codes)


# --- certificates (Persijilan) ---
CERTIFICATE_VIEW_ACTS = ("skills.certify", "skills.trainees.view")


def certificate_for(user, pk: int, act: str | None = None):
    """Return certificate ``pk`` for a staff page: ``act`` on its centre (None: see it).

    Seeing a certificate: the body's certification officer (``skills.certify``)
    or the centre's staff who see its trainees (``skills.trainees.view``).
    """
    from .models import Certificate

    acts = (act,) if act else CERTIFICATE_VIEW_ACTS
    if not any(access.can(user, a) for a in acts):
        raise PermissionDenied
    certificate = get_object_or_404(
        Certificate.objects.select_related("centre", "standard", "trainee", "intake"), pk=pk
    )
    if not any(access.can(user, a, certificate.centre) for a in acts):
        raise Http404
    return certificate


def certificate_printable_for(user, pk: int):
    """Return certificate ``pk`` if ``user`` may download its PDF: its holder, or staff."""
    from .models import Certificate

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    certificate = get_object_or_404(
        Certificate.objects.select_related("centre", "standard", "trainee"), pk=pk
    )
    if certificate.trainee.user_id is not None and certificate.trainee.user_id == user.pk:
        return certificate
    if not any(access.can(user, a) for a in CERTIFICATE_VIEW_ACTS):
        raise PermissionDenied
    if not any(access.can(user, a, certificate.centre) for a in CERTIFICATE_VIEW_ACTS):
        raise Http404
    return certificate


def issue_batch_for(user, pk: int):
    """Return issue batch ``pk`` if ``user`` may certify at its intake's centre."""
    from .models import IssueBatch

    if not access.can(user, "skills.certify"):
        raise PermissionDenied
    batch = get_object_or_404(
        IssueBatch.objects.select_related("intake__centre", "intake__accreditation__standard"),
        pk=pk,
    )
    if not access.can(user, "skills.certify", batch.intake.centre):
        raise Http404
    return batch


# --- complaints (Modul Aduan) ---
COMPLAINT_HANDLE = "skills.complaint.handle"
COMPLAINT_VIEW = "skills.complaint.view"


def complaint_handler(user) -> bool:
    """Whether ``user`` handles complaints for the body (JPK): every complaint, every act."""
    from core.people.units import skills_body_unit

    return access.can(user, COMPLAINT_HANDLE, skills_body_unit())


def complaint_scope(user):
    """Return None (every complaint: the body's handler) or the centres whose complaints
    ``user`` reads (a centre's administrator); 403 for anyone else."""
    if complaint_handler(user):
        return None
    if not access.can(user, COMPLAINT_VIEW):
        raise PermissionDenied
    return centres_for(user, COMPLAINT_VIEW)


def complaint_for(user, pk: int, act: str | None = None):
    """Return complaint ``pk`` for a staff page; ``act`` given: only the body's handler.

    A centre's administrator sees (read-only) a complaint about their own centre; one
    about another centre or none is 404, as one that does not exist.
    """
    from .models import Complaint

    if act is not None:
        if not complaint_handler(user):
            raise PermissionDenied
        return get_object_or_404(Complaint.objects.select_related("centre", "assignee"), pk=pk)
    scope = complaint_scope(user)
    complaint = get_object_or_404(
        Complaint.objects.select_related("centre", "assignee", "certificate"), pk=pk
    )
    if scope is not None and (
        complaint.centre is None or not access.can(user, COMPLAINT_VIEW, complaint.centre)
    ):
        raise Http404
    return complaint


# --- personnel (Modul Personel) ---
PERSONNEL_DECIDE = "skills.personnel.decide"


def personnel_body(user) -> bool:
    """Whether ``user`` decides personnel applications for the body (JPK)."""
    from core.people.units import skills_body_unit

    return access.can(user, PERSONNEL_DECIDE, skills_body_unit())


def personnel_applicant(user) -> None:
    """403 unless ``user`` is signed in with a personal account (a school's shared code or
    respondent login does not apply to serve as PP or PPL)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if getattr(user, "role", "person") != "person":
        raise PermissionDenied


def personnel_desk(user) -> None:
    """403 unless ``user`` decides for the body."""
    if not personnel_body(user):
        raise PermissionDenied


def personnel_application_for(user, pk: int):
    """Return application ``pk`` for its applicant or the body's officers; 404 for any other
    person (as one that does not exist), 403 for a school's shared login."""
    from .models import PersonnelApplication

    body = personnel_body(user)
    if not body:
        personnel_applicant(user)
    application = get_object_or_404(
        PersonnelApplication.objects.select_related("applicant", "sector", "renewal_of__standard"),
        pk=pk,
    )
    if not body and application.applicant_id != user.pk:
        raise Http404
    return application


def personnel_approval_for(user, pk: int, *, own: bool = False):
    """Return approval ``pk``: ``own`` the person's own (to renew), else for the body's acts."""
    from .models import PersonnelApproval

    if own:
        personnel_applicant(user)
        return get_object_or_404(
            PersonnelApproval.objects.select_related("standard", "application"),
            pk=pk, person_id=user.pk,
        )  # fmt: skip
    personnel_desk(user)
    return get_object_or_404(
        PersonnelApproval.objects.select_related("application", "standard"), pk=pk
    )


def personnel_evidence_for(user, pk: int, file_pk: int):
    """Return an evidence file of application ``pk``: for its applicant and the body only."""
    from .models import PersonnelEvidence

    application = personnel_application_for(user, pk)
    return get_object_or_404(PersonnelEvidence, pk=file_pk, application=application)


# --- the executive report (Modul Laporan Eksekutif) ---
EXECUTIVE = "skills.executive"


def executive_tier(user, kind: str, code: str = ""):
    """Return the report tier ``kind`` ("nation", "state", "sector", "centre") of ``code``.

    The body's certification officer and the administrator (``skills.executive`` at the body)
    see every tier; a centre's administrator only their own centre's: no tier asked for is
    their (first) centre, any other tier, or another centre, is 404 as one that does not
    exist. Anyone else: 403. An unknown state, sector or centre: 404.
    """
    from core.people.units import skills_body_unit
    from schools.models import State

    from .models import Sector
    from .selectors.executive import CENTRE, NATION, NO_STATE, SECTOR, STATE, Tier

    if not access.can(user, EXECUTIVE):
        raise PermissionDenied
    if not access.can(user, EXECUTIVE, skills_body_unit()):
        mine = centres_for(user, EXECUTIVE).select_related("state").order_by("code")
        if kind == NATION:
            centre = mine.first()
        elif kind == CENTRE:
            centre = mine.filter(code__iexact=code).first()
        else:
            centre = None
        if centre is None:
            raise Http404
        return Tier(CENTRE, centre.code, str(centre), centre)
    if kind == NATION:
        return Tier(NATION)
    if kind == STATE:
        if code == NO_STATE:
            from .rollups import NO_STATE_NAME

            return Tier(STATE, NO_STATE, NO_STATE_NAME, None)
        state = State.objects.filter(code__iexact=code).first()
        if state is None:
            raise Http404
        return Tier(STATE, state.code, state.name, state)
    if kind == SECTOR:
        sector = Sector.objects.filter(code__iexact=code).first()
        if sector is None:
            raise Http404
        from .selectors.executive import sector_name

        return Tier(SECTOR, sector.code, sector_name(sector), sector)
    centre = Centre.objects.filter(code__iexact=code).select_related("state").first()
    if centre is None:
        raise Http404
    return Tier(CENTRE, centre.code, str(centre), centre)


# --- PPT, recognition of prior achievement (Modul PPT) ---
PPT_VIEW = "skills.ppt.view"
PPT_MANAGE = "skills.ppt.manage"


def _ppt_rows():
    from .models import PptApplication

    return PptApplication.objects.select_related(
        "centre", "trainee", "accreditation__standard", "intake__verifier"
    )


def ppt_for(user, code: str, pk: int, act: str):
    """Return PPT application ``pk`` of centre ``code`` where ``user`` may do ``act``.

    ``skills.assess``: through the application's intake (``intake_for``), so the
    assessor's own rights on it are the core's; a draft (no intake yet) is not
    judged (404).
    """
    if act == "skills.assess":
        centre = centre_for(user, code, act)
        application = get_object_or_404(_ppt_rows(), pk=pk, centre=centre)
        if application.intake_id is None:
            raise Http404
        application.intake = intake_for(user, code, application.intake_id, act)
        return application
    centre = centre_for(user, code, act)
    return get_object_or_404(_ppt_rows(), pk=pk, centre=centre)


def ppt_visible(user, code: str, pk: int):
    """Return PPT application ``pk`` for its page: the centre's staff and the body
    (``skills.ppt.view``), or the external verifier the body assigned to its intake."""
    if "\x00" in (code or ""):
        raise Http404
    viewer = access.can(user, PPT_VIEW)
    if not viewer and not access.can(user, "skills.verify"):
        raise PermissionDenied
    application = get_object_or_404(_ppt_rows(), pk=pk, centre__code=code)
    if viewer and access.can(user, PPT_VIEW, application.centre):
        return application
    if application.intake_id and application.intake.verifier_id == user.pk:
        return application
    raise Http404


def ppt_acts(user, application) -> dict:
    """What ``user`` may do now on ``application`` (read ``with_stage`` first): each act of
    its page, by the person's rights and the application's stage (``ppt_rules``)."""
    from . import ppt_rules, rules

    centre, stage, intake = application.centre, application.stage, application.intake
    manage = access.can(user, PPT_MANAGE, centre)
    return {
        "evidence": manage and ppt_rules.evidence_open(stage),
        "submit": manage and stage == ppt_rules.STAGE_DRAFT,
        "withdraw": manage and ppt_rules.may_withdraw(stage),
        "judge": ppt_rules.judging_open(stage) and access.can(user, "skills.assess", centre),
        "assign": intake is not None and stage != ppt_rules.STAGE_WITHDRAWN
        and intake.state != rules.INTAKE_VERIFIED
        and access.can(user, "skills.verifier.assign", centre),
        "verify": stage == ppt_rules.STAGE_VERIFICATION and intake.verifier_id == user.pk,
        "certify": stage == ppt_rules.STAGE_VERIFIED and access.can(user, "skills.certify", centre),
    }  # fmt: skip


def ppt_centres(user):
    """None (every centre: the body) or the centres whose PPT applications ``user`` sees;
    403 for someone who sees none."""
    from core.people.units import skills_body_unit

    if not access.can(user, PPT_VIEW):
        raise PermissionDenied
    if access.can(user, PPT_VIEW, skills_body_unit()):
        return None
    return centres_for(user, PPT_VIEW)


def ppt_evidence_for(user, pk: int):
    """Return evidence file ``pk`` for download: the application's centre staff and the body,
    the verifier assigned to it, or the applicant themself; 404 for anyone else."""
    from .models import PptEvidence

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    evidence = get_object_or_404(
        PptEvidence.objects.select_related(
            "application__centre", "application__intake", "application__trainee"
        ),
        pk=pk,
    )
    application = evidence.application
    if (
        access.can(user, PPT_VIEW, application.centre)
        or (application.intake_id and application.intake.verifier_id == user.pk)
        or (application.trainee.user_id is not None and application.trainee.user_id == user.pk)
    ):
        return evidence
    raise Http404


# --- facilities self-declared and checked (Kemudahan) ---
FACILITIES_VIEW = "skills.facilities.view"
FACILITIES_DECLARE = "skills.facilities.declare"
FACILITIES_CHECK = "skills.facilities.check"
FACILITIES_CHECKLIST = "skills.facilities.checklist"


def facilities_checker(user) -> None:
    """403 unless ``user`` checks facilities declarations for the body somewhere."""
    if not access.can(user, FACILITIES_CHECK):
        raise PermissionDenied


def declaration_for_check(user, pk: int):
    """Return facilities declaration ``pk`` if ``user`` may check it (the body, at its
    centre); 403 for someone who checks nowhere, 404 for one outside their scope."""
    from .models import FacilityDeclaration

    facilities_checker(user)
    declaration = get_object_or_404(
        FacilityDeclaration.objects.select_related(
            "centre__state", "checklist", "declared_by", "checked_by"
        ),
        pk=pk,
    )
    if not access.can(user, FACILITIES_CHECK, declaration.centre):
        raise Http404
    return declaration
