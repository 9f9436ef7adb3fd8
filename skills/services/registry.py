"""The NOSS registry (Modul NOSS): loading standards and their CUs from a parsed file."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from schools.importing import RowError

from ..models import Certificate, CompetencyUnit, Result, Sector, Standard


@dataclass
class ImportSummary:
    sectors_created: int = 0
    sectors_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0
    units_removed: int = 0


class ImportRefused(Exception):
    """The file cannot be loaded as it stands; ``errors`` name the rows (nothing was written)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _set(obj, values: dict) -> bool:
    """Put ``values`` on ``obj``; return whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def noss_import(*, standards, demo: bool = False) -> ImportSummary:
    """Create or update ``standards`` (``skills.noss.StandardRecord``) and their CUs.

    Idempotent: a record already as the file has it is not saved again. A CU
    missing from the file is removed from its standard, unless a result or a
    certificate refers to it: then ImportRefused names it and nothing is kept.
    ``demo`` marks the standards as demo data (``Standard.is_demo``).
    """
    summary = ImportSummary()
    sectors = {s.code: s for s in Sector.objects.select_for_update().filter(
        code__in={r.sector_code for r in standards})}  # fmt: skip
    for record in standards:
        values = {"name_ms": record.sector_name_ms, "name_en": record.sector_name_en}
        sector = sectors.get(record.sector_code)
        if sector is None:
            sectors[record.sector_code] = Sector.objects.create(code=record.sector_code, **values)
            summary.sectors_created += 1
        elif _set(sector, values):
            sector.save()
            summary.sectors_updated += 1

    codes = [r.code for r in standards]
    stored = {s.code: s for s in Standard.objects.select_for_update().filter(code__in=codes)}
    stored_before = set(stored)
    targets = {r.supersedes for r in standards if r.supersedes}
    known = {s.code: s for s in Standard.objects.filter(code__in=targets - set(codes))}
    units = {}
    for unit in CompetencyUnit.objects.filter(standard__code__in=codes).select_related("standard"):
        units[(unit.standard.code, unit.code)] = unit
    # The CUs results or certificates refer to (they may not be removed).
    used = set(
        Result.objects.filter(unit__in=[u.pk for u in units.values()]).values_list(
            "unit_id", flat=True
        )
    ) | set(
        Certificate.units.through.objects.filter(
            competencyunit_id__in=[u.pk for u in units.values()]
        ).values_list("competencyunit_id", flat=True)
    )

    errors: list[RowError] = []
    changed: set[str] = set()
    for record in standards:
        values = {
            "title_ms": record.title_ms,
            "title_en": record.title_en,
            "sector": sectors[record.sector_code],
            "level": record.level,
            "version": record.version,
            "is_demo": demo,
        }
        standard = stored.get(record.code)
        if standard is None:
            standard = stored[record.code] = Standard.objects.create(code=record.code, **values)
            summary.created += 1
        elif _set(standard, values):
            standard.save()
            changed.add(record.code)
        if _units_sync(standard, record, units, used, summary, errors):
            changed.add(record.code)

    # Supersedes once every standard of the file exists.
    everything = {**known, **stored}
    for record in standards:
        standard = stored[record.code]
        target = everything.get(record.supersedes) if record.supersedes else None
        if standard.supersedes_id != (target.pk if target else None):
            standard.supersedes = target
            standard.save(update_fields=["supersedes", "updated_at"])
            changed.add(record.code)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    summary.updated = len(changed) - sum(1 for code in changed if code not in stored_before)
    summary.unchanged = len(standards) - summary.created - summary.updated
    return summary


def _units_sync(standard, record, units, used, summary, errors) -> bool:
    """Make ``standard``'s CUs those of ``record``; return whether any changed."""
    changed = False
    listed = set()
    for unit_record in record.units:
        listed.add(unit_record.code)
        values = {
            "title_ms": unit_record.title_ms,
            "title_en": unit_record.title_en,
            "hours": unit_record.hours,
            "order": unit_record.order,
        }
        unit = units.get((record.code, unit_record.code))
        if unit is None:
            CompetencyUnit.objects.create(standard=standard, code=unit_record.code, **values)
            summary.units_created += 1
            changed = True
        elif _set(unit, values):
            unit.save()
            summary.units_updated += 1
            changed = True
    gone = [u for (code, cu), u in units.items() if code == record.code and cu not in listed]
    for unit in gone:
        if unit.pk in used:
            errors.append(
                RowError(
                    record.line,
                    "cu_code",
                    _(
                        "%(cu)s of %(standard)s is missing from the file, but results or "
                        "certificates refer to it: keep it in the file"
                    )
                    % {"cu": unit.code, "standard": record.code},
                )
            )
    removable = [u.pk for u in gone if u.pk not in used]
    if removable:
        CompetencyUnit.objects.filter(pk__in=removable).delete()
        summary.units_removed += len(removable)
        changed = True
    return changed
