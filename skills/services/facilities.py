"""Facilities self-declared and checked (Kemudahan): the checklist, declaring, checking.

``checklist_upload`` stores the body's YAML as the next version of the checklist (every
problem named, nothing half-saved; the same content again changes nothing);
``checklist_current`` loads version 1 from ``skills/facilities/checklist-v1.yaml`` when none
is stored. ``facilities_declare`` records (or, before the check, replaces) a centre's
declaration of a year against the checklist in force; ``facilities_check`` records the
body's findings on a visit (again: amended). Each is one transaction under a row lock; a
check, first or amended, announces that the year's star ratings change
(``rating_changed``). Who and when: on the rows, and in the audit trail (core.audit).
"""

import hashlib
import json
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import facility_rules as frules
from ..models import FacilityChecklist, FacilityDeclaration, FacilityItem
from .rating import rating_changed

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "facilities" / "checklist-v1.yaml"


class FacilitiesRefused(Exception):
    """The act cannot be done: ``message`` says why, ``problems`` [(code, why)] per item."""

    def __init__(self, message, problems=()):
        super().__init__(str(message))
        self.problems = list(problems)


# --- the checklist ---
def checklist_read(data: bytes) -> frules.Checklist:
    """Parse an uploaded checklist (size first, YAML safe_load) or raise ChecklistErrors."""
    if len(data) > frules.MAX_CHECKLIST_BYTES:
        raise frules.ChecklistErrors(
            [_("The file is larger than %(n)s KB.") % {"n": frules.MAX_CHECKLIST_BYTES // 1024}]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise frules.ChecklistErrors([_("The file is not UTF-8 text.")]) from None
    if "\x00" in text:
        raise frules.ChecklistErrors([_("The file is not UTF-8 text.")])
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" at line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise frules.ChecklistErrors(
            [_("The file is not valid YAML%(where)s.") % {"where": where}]
        ) from None
    return frules.parse_checklist(loaded)


def _items(checklist: frules.Checklist) -> list:
    return [{"code": i.code, "text_ms": i.text_ms, "text_en": i.text_en,
             "evidence_ms": i.evidence_ms, "evidence_en": i.evidence_en}
            for i in checklist.items]  # fmt: skip


@transaction.atomic
def checklist_upload(*, data: bytes, by=None):
    """Store ``data`` as the next version of the checklist; return (stored, created)."""
    checklist = checklist_read(data)
    items = _items(checklist)
    digest = hashlib.sha256(json.dumps([items, checklist.note], sort_keys=True).encode())
    digest = digest.hexdigest()
    latest = FacilityChecklist.objects.select_for_update().order_by("-version").first()
    if latest is not None and latest.digest == digest:
        return latest, False
    stored = FacilityChecklist.objects.create(
        version=(latest.version + 1) if latest else 1, source=data.decode("utf-8"),
        digest=digest, items=items, note=checklist.note, uploaded_by=by,
    )  # fmt: skip
    return stored, True


def checklist_current() -> FacilityChecklist:
    """The checklist in force (the latest version), loading version 1 if none is stored."""
    found = FacilityChecklist.objects.order_by("-version").first()
    if found is not None:
        return found
    try:
        return checklist_upload(data=DEFAULT_FILE.read_bytes())[0]
    except IntegrityError:  # loaded at the same moment by another request
        return FacilityChecklist.objects.order_by("-version").first()


# --- declaring and checking ---
@transaction.atomic
def facilities_declare(*, centre, year: int, answers: dict, by) -> FacilityDeclaration:
    """Record ``centre``'s declaration of ``year``: ``answers`` {code: (in place, how)} for
    every item of the checklist in force; before the body's check it replaces the last one."""
    checklist = checklist_current()
    codes = [i["code"] for i in checklist.items]
    existing = (FacilityDeclaration.objects.select_for_update()
                .filter(centre=centre, year=year).first())  # fmt: skip
    refusal = frules.declare_refusal(state=existing.state if existing else None)
    if refusal:
        raise FacilitiesRefused(refusal)
    problems = frules.declaration_problems(answers, codes)
    if problems:
        raise FacilitiesRefused(_("Some items are not answered; see each item."), problems)
    now = timezone.now()
    if existing is None:
        declaration = FacilityDeclaration.objects.create(
            centre=centre, year=year, checklist=checklist, declared_by=by, declared_at=now
        )
    else:
        declaration = existing
        declaration.checklist, declaration.declared_by, declaration.declared_at = (
            checklist, by, now,
        )  # fmt: skip
        declaration.save(update_fields=["checklist", "declared_by", "declared_at"])
        declaration.items.all().delete()
    FacilityItem.objects.bulk_create(
        FacilityItem(declaration=declaration, code=code, order=i, in_place=answers[code][0],
                     how=(answers[code][1] or "").strip() if answers[code][0] else "")
        for i, code in enumerate(codes)
    )  # fmt: skip
    return declaration


@transaction.atomic
def facilities_check(*, declaration: FacilityDeclaration, findings: dict, visited_on,
                     note: str = "", by) -> FacilityDeclaration:  # fmt: skip
    """Record the body's findings ``findings`` {code: (finding, note)} of the visit on
    ``visited_on``; a checked declaration's findings are amended (who and when again)."""
    locked = FacilityDeclaration.objects.select_for_update().get(pk=declaration.pk)
    refusal = frules.check_refusal(state=locked.state)
    if refusal:
        raise FacilitiesRefused(refusal)
    today = timezone.localdate()
    declared_on = timezone.localdate(locked.declared_at)
    if visited_on is None or visited_on > today or visited_on < declared_on:
        raise FacilitiesRefused(
            _("The visit's day must be between the declaration (%(declared)s) and today.")
            % {"declared": declared_on.strftime("%d/%m/%Y")}
        )
    items = list(locked.items.all())
    problems = frules.finding_problems(findings, {i.code: i.in_place for i in items})
    if problems:
        raise FacilitiesRefused(_("Some items have no finding; see each item."), problems)
    for item in items:
        finding, item_note = findings.get(item.code, (None, ""))
        item.finding = frules.finding_of(item.in_place, finding)
        item.finding_note = (item_note or "").strip() if item.in_place else ""
    FacilityItem.objects.bulk_update(items, ["finding", "finding_note"])
    locked.state, locked.visited_on, locked.check_note = frules.CHECKED, visited_on, note.strip()
    locked.checked_by, locked.checked_at = by, timezone.now()
    locked.save()
    rating_changed(year=locked.year)
    declaration.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked
