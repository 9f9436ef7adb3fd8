"""Personnel (Modul Personel): a person applies to serve as PP or PPL; the body decides.

Every act is a ``PersonnelEvent`` (who, when, why) in the same transaction as its
change; a refused act saves nothing. The rules are ``skills.personnel_rules``.
"""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import files
from .. import personnel_rules as prules
from ..models import (
    PersonnelApplication,
    PersonnelApproval,
    PersonnelEvent,
    PersonnelEvidence,
    Standard,
)

TEXT_MAX = 2000
COURSE_MAX = 200


class PersonnelRefused(Exception):
    """The act cannot be done; the message says why (nothing was saved)."""


def _text(value: str, label: str, *, required=False, limit=TEXT_MAX) -> str:
    text = (value or "").strip()
    if "\x00" in text or len(text) > limit:
        raise PersonnelRefused(
            _("%(label)s: at most %(n)s characters of text.") % {"label": label, "n": limit}
        )
    if required and not text:
        raise PersonnelRefused(_("%(label)s: this is needed.") % {"label": label})
    return text


def _keep_evidence(application, uploads):
    uploads = list(uploads or [])
    if len(uploads) > files.MAX_FILES:
        raise PersonnelRefused(_("At most %(n)s files.") % {"n": files.MAX_FILES})
    for upload in uploads:
        try:
            files.check_upload(upload)
        except ValidationError as exc:
            raise PersonnelRefused(" ".join(exc.messages)) from exc
    kept = []
    for upload in uploads:
        name = files.private_name("personnel", upload.name)
        sha = files.digest(upload)
        stored = files.private_storage.save(name, upload)
        kept.append(stored)
        PersonnelEvidence.objects.create(
            application=application, file=stored, name=files.display_name(upload.name),
            size=upload.size, sha256=sha,
        )  # fmt: skip
    return kept


def _forget_files(names):
    for name in names:
        with contextlib.suppress(OSError):  # the disk said no; nothing points at it
            files.private_storage.delete(name)


def personnel_apply(
    *,
    applicant,
    role: str,
    standard_codes,
    sector,
    held_level: int,
    industry_years: int,
    pp_years: int,
    qualifications: str,
    uploads=(),
    today: datetime.date | None = None,
) -> PersonnelApplication:
    """Record ``applicant``'s application to serve as ``role`` for the standards named.

    Refused (nothing saved, no file kept): an unknown or superseded standard, one the
    qualification does not reach (``personnel_rules.eligibility_problem``), one already
    applied for or approved (not expired) in that role, no standard or too many, a file
    ``skills.files`` refuses.
    """
    today = today or timezone.localdate()
    if role not in (prules.PP, prules.PPL):
        raise PersonnelRefused(_("Choose assessor (PP) or external verifier (PPL)."))
    codes = list(dict.fromkeys(c.strip().upper() for c in standard_codes if c and c.strip()))
    if not codes:
        raise PersonnelRefused(_("Name at least one standard."))
    if len(codes) > prules.MAX_STANDARDS:
        raise PersonnelRefused(
            _("Name at most %(n)s standards in one application.") % {"n": prules.MAX_STANDARDS}
        )
    if held_level not in dict(prules.LEVEL_CHOICES):
        raise PersonnelRefused(_("Choose the level of your qualification."))
    qualifications = _text(qualifications, _("Qualifications"), required=True)
    standards = {s.code.upper(): s for s in Standard.objects.filter(code__in=codes)}
    superseding = set(
        Standard.objects.filter(supersedes__code__in=codes).values_list(
            "supersedes__code", flat=True
        )
    )
    problems = []
    for code in codes:
        standard = standards.get(code)
        if standard is None:
            problems.append(_("%(code)s: no such standard in the registry.") % {"code": code})
            continue
        if standard.code in superseding:
            problems.append(
                _("%(code)s is superseded: name the current standard.") % {"code": code}
            )
            continue
        problem = prules.eligibility_problem(
            role, standard_level=standard.level, standard_sector=standard.sector_id,
            held_level=held_level, held_sector=sector.pk, industry_years=industry_years,
            pp_years=pp_years,
        )  # fmt: skip
        if problem:
            problems.append(f"{standard.code}: {problem}")
    if problems:
        raise PersonnelRefused(" ".join(str(p) for p in problems))
    kept = []
    try:
        with transaction.atomic():
            # One live application or approval per person, role and standard.
            live = (
                PersonnelApproval.objects.select_for_update()
                .filter(person=applicant, role=role, standard__in=standards.values())
                .select_related("standard")
            )
            for line in live:
                if line.state == prules.APPLIED:
                    raise PersonnelRefused(
                        _("%(code)s: you already applied; wait for the decision.")
                        % {"code": line.standard.code}
                    )
                if line.state in (prules.APPROVED, prules.SUSPENDED) and (
                    line.expires_on is None or line.expires_on >= today
                ):
                    raise PersonnelRefused(
                        _("%(code)s: you are already approved; renew it from your page.")
                        % {"code": line.standard.code}
                    )
            application = PersonnelApplication.objects.create(
                applicant=applicant, role=role, sector=sector, held_level=held_level,
                industry_years=industry_years, pp_years=pp_years, qualifications=qualifications,
            )  # fmt: skip
            PersonnelApproval.objects.bulk_create(
                PersonnelApproval(
                    application=application, person=applicant, role=role, standard=standards[code]
                )  # fmt: skip
                for code in codes
            )
            kept = _keep_evidence(application, uploads)
            PersonnelEvent.objects.create(application=application, act="apply", by=applicant,
                                          reason=", ".join(codes))  # fmt: skip
            return application
    except Exception:
        _forget_files(kept)
        raise


def personnel_renew(*, approval_id: int, applicant, note: str, uploads=(),
                    today: datetime.date | None = None) -> PersonnelApplication:  # fmt: skip
    """Apply to renew the person's approval ``approval_id`` (``personnel_rules.renewal_refusal``).

    A renewal is an application naming that one standard, its qualification carried over,
    with the person's note (what they did as PP/PPL) and any new files.
    """
    today = today or timezone.localdate()
    note = _text(note, _("Note"), required=True)
    kept = []
    try:
        with transaction.atomic():
            old = (
                PersonnelApproval.objects.select_for_update()
                .select_related("application", "standard")
                .get(pk=approval_id, person=applicant)
            )
            pending = PersonnelApproval.objects.filter(
                renews=old, state__in=(prules.APPLIED, prules.APPROVED)
            ).exists()
            refusal = prules.renewal_refusal(old.state, old.expires_on, today, pending=pending)
            if refusal is not None:
                raise PersonnelRefused(str(refusal))
            first = old.application
            application = PersonnelApplication.objects.create(
                applicant=applicant, role=old.role, sector_id=first.sector_id,
                held_level=first.held_level, industry_years=first.industry_years,
                pp_years=first.pp_years, qualifications=note, renewal_of=old,
            )  # fmt: skip
            PersonnelApproval.objects.create(
                application=application, person=applicant, role=old.role, standard=old.standard,
                renews=old,
            )  # fmt: skip
            kept = _keep_evidence(application, uploads)
            PersonnelEvent.objects.create(application=application, act="renew", by=applicant,
                                          reason=old.standard.code)  # fmt: skip
            return application
    except Exception:
        _forget_files(kept)
        raise


@transaction.atomic
def personnel_act(
    *,
    approval_id: int,
    act: str,
    by,
    reason: str = "",
    course: str = "",
    induction_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PersonnelApproval:
    """Do the body's ``act`` on one standard of an application (locked first).

    approve / refuse (with the reason) an application's standard; ``induct``: record the
    induction course attended and its day, which starts the 3 years' validity; approving a
    renewal extends the validity at once (``personnel_rules.renewed_validity``); suspend,
    reinstate, revoke with the reason. An act in the wrong state is refused.
    """
    today = today or timezone.localdate()
    line = (
        PersonnelApproval.objects.select_for_update(of=("self",))
        .select_related("renews", "application", "standard")
        .get(pk=approval_id)
    )
    reason = _text(reason, _("Reason"))
    refusal = prules.act_refusal(act, line.state, reason=reason,
                                 inducted=line.induction_on is not None,
                                 renewal=line.renews_id is not None)  # fmt: skip
    if refusal is not None:
        raise PersonnelRefused(str(refusal))
    now = timezone.now()
    if act == "approve" and line.renews_id is not None:
        old = line.renews
        if old.expires_on is None:  # pragma: no cover - a renewal names an inducted approval
            raise PersonnelRefused(_("The approval renewed has no validity to extend."))
        line.induction_course, line.induction_on = old.induction_course, old.induction_on
        line.valid_from, line.expires_on = prules.renewed_validity(old.expires_on, today)
    if act == "induct":
        course = _text(course, _("Induction course"), required=True, limit=COURSE_MAX)
        if induction_on is None:
            raise PersonnelRefused(_("Give the day the induction course was attended."))
        if induction_on > today:
            raise PersonnelRefused(_("The induction day cannot be in the future."))
        valid_from, expires_on = prules.validity(induction_on)
        if expires_on < today:
            raise PersonnelRefused(
                _("An induction on %(date)s would have expired already: the person attends "
                  "a new one.") % {"date": induction_on.isoformat()}
            )  # fmt: skip
        line.induction_course, line.induction_on = course, induction_on
        line.valid_from, line.expires_on = valid_from, expires_on
        reason = f"{course} ({induction_on.isoformat()})"
    else:
        line.reason = reason
        line.decided_by, line.decided_at = by, now
    line.state = prules.ACTS[act][1]
    line.save()
    PersonnelEvent.objects.create(application=line.application, approval=line, act=act,
                                  reason=reason, by=by, at=now)  # fmt: skip
    return line
