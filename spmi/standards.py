"""Standards as versioned data: read a standard-set file, load it as a new version, compare.

A set is never edited in place: loading a changed file makes version N+1 and
the cycles already opened keep the set they opened with. Loading the same
content again changes nothing (idempotent). ``compare`` says what changed
between two versions, by code: added, removed, renamed, or a new source.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from . import sources

DEFAULT_FILE = Path(__file__).resolve().parent / "standards" / "spmi-national-v1.yaml"
MAX_BYTES = 1_000_000


class StandardsError(ValueError):
    """The file is not a valid standard set; ``errors`` names each problem."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


def _name(node, where, errors, key="name"):
    name = node.get(key) if isinstance(node, dict) else None
    if (
        not isinstance(name, dict)
        or not str(name.get("ms") or "").strip()
        or not str(name.get("en") or "").strip()
    ):
        errors.append(
            _("%(where)s: a name in Malay (ms) and English (en) is needed.") % {"where": where}
        )
        return {"ms": "", "en": ""}
    return {"ms": str(name["ms"]).strip(), "en": str(name["en"]).strip()}


def validate(data) -> dict:
    """Return the set in canonical form, or raise StandardsError naming every problem."""
    errors = []
    if not isinstance(data, dict) or not isinstance(data.get("standards"), list):
        raise StandardsError([_("The file needs a list of standards.")])
    out = {"title": _name(data, _("the set"), errors, key="title"), "standards": []}
    codes = set()

    def code_of(node, where):
        code = str(node.get("code") or "").strip() if isinstance(node, dict) else ""
        if not code or len(code) > 20:
            errors.append(
                _("%(where)s: a code of at most 20 characters is needed.") % {"where": where}
            )
        elif code in codes:
            errors.append(_("Code %(code)s appears twice.") % {"code": code})
        codes.add(code)
        return code

    for s in data["standards"]:
        s_code = code_of(s, _("a standard"))
        standard = {"code": s_code, "name": _name(s, s_code, errors), "criteria": []}
        for c in (s.get("criteria") or []) if isinstance(s, dict) else []:
            c_code = code_of(c, s_code)
            criterion = {"code": c_code, "name": _name(c, c_code, errors), "indicators": []}
            indicators = (c.get("indicators") or []) if isinstance(c, dict) else []
            if not indicators:
                errors.append(
                    _("%(code)s: a criterion needs at least one indicator.") % {"code": c_code}
                )
            for i in indicators:
                i_code = code_of(i, c_code)
                source = str(i.get("source") or "") if isinstance(i, dict) else ""
                if not sources.is_known(source):
                    errors.append(
                        _("%(code)s: unknown source %(source)r.")
                        % {"code": i_code, "source": source[:60]}
                    )
                criterion["indicators"].append(
                    {"code": i_code, "name": _name(i, i_code, errors), "source": source}
                )
            standard["criteria"].append(criterion)
        if not standard["criteria"]:
            errors.append(
                _("%(code)s: a standard needs at least one criterion.") % {"code": s_code}
            )
        out["standards"].append(standard)
    if errors:
        raise StandardsError(errors)
    return out


def checksum(canonical: dict) -> str:
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def read_bytes(size: int, read) -> dict:
    """Validate a set from ``read()`` (bytes), refusing more than MAX_BYTES before reading."""
    if size > MAX_BYTES:  # before reading a byte of it
        raise StandardsError([_("The file is larger than 1 MB.")])
    try:
        data = yaml.safe_load(read().decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise StandardsError([_("The file is not readable YAML: %(e)s") % {"e": exc}]) from exc
    return validate(data)


def read_file(path) -> dict:
    path = Path(path)
    return read_bytes(path.stat().st_size, path.read_bytes)


def standards_load(*, path=DEFAULT_FILE):
    """Load the file as the next version unless the latest version has the same content.

    Returns (standard set, created).
    """
    return standards_store(read_file(path), source=Path(path).name)


def standards_upload(upload):
    """The ministry's upload of a changed set (the page's form): the next version."""
    return standards_store(read_bytes(upload.size, upload.read), source=str(upload.name))


def standards_store(canonical: dict, *, source: str):
    """Store a validated set as the next version (unless the latest has the same content)."""
    from .models import Criterion, Indicator, Standard, StandardSet

    digest = checksum(canonical)
    with transaction.atomic():
        latest = StandardSet.objects.select_for_update().order_by("-version").first()
        if latest is not None and latest.checksum == digest:
            return latest, False
        title = canonical["title"]
        new = StandardSet.objects.create(
            version=(latest.version + 1) if latest else 1,
            title=f"{title['ms']} / {title['en']}"[:200],
            checksum=digest,
            source=Path(source.replace("\\", "/")).name.replace("\x00", "")[:200],
        )
        for s_order, s in enumerate(canonical["standards"]):
            standard = Standard.objects.create(
                standard_set=new,
                code=s["code"],
                order=s_order,
                name_ms=s["name"]["ms"],
                name_en=s["name"]["en"],
            )
            for c_order, c in enumerate(s["criteria"]):
                criterion = Criterion.objects.create(
                    standard=standard,
                    code=c["code"],
                    order=c_order,
                    name_ms=c["name"]["ms"],
                    name_en=c["name"]["en"],
                )
                Indicator.objects.bulk_create(
                    Indicator(
                        criterion=criterion,
                        code=i["code"],
                        order=i_order,
                        source=i["source"],
                        name_ms=i["name"]["ms"],
                        name_en=i["name"]["en"],
                    )
                    for i_order, i in enumerate(c["indicators"])
                )
    return new, True


def current_set():
    """The latest standard set, loading the default national set if there is none yet."""
    from .models import StandardSet

    latest = StandardSet.objects.order_by("-version").first()
    return latest if latest is not None else standards_load()[0]


@dataclass
class Change:
    kind: str  # added | removed | renamed | source
    level: str  # criterion | indicator
    code: str
    before: str = ""
    after: str = ""


@dataclass
class Comparison:
    old: object
    new: object
    changes: list = field(default_factory=list)


def _flat(standard_set):
    from .models import Criterion, Indicator

    criteria = {
        code: (ms, en)
        for code, ms, en in Criterion.objects.filter(
            standard__standard_set=standard_set
        ).values_list("code", "name_ms", "name_en")
    }
    indicators = {
        code: (ms, en, source)
        for code, ms, en, source in Indicator.objects.filter(
            criterion__standard__standard_set=standard_set
        ).values_list("code", "name_ms", "name_en", "source")
    }
    return criteria, indicators


def compare(old, new) -> Comparison:
    """What changed from ``old`` to ``new``, by code (criteria and indicators)."""
    out = Comparison(old, new)
    (old_c, old_i), (new_c, new_i) = _flat(old), _flat(new)
    for level, before, after in (("criterion", old_c, new_c), ("indicator", old_i, new_i)):
        for code in sorted(before.keys() | after.keys()):
            if code not in after:
                out.changes.append(Change("removed", level, code, before=before[code][1]))
            elif code not in before:
                out.changes.append(Change("added", level, code, after=after[code][1]))
            else:
                if before[code][:2] != after[code][:2]:
                    out.changes.append(
                        Change("renamed", level, code, before[code][1], after[code][1])
                    )
                if level == "indicator" and before[code][2] != after[code][2]:
                    out.changes.append(
                        Change("source", level, code, before[code][2], after[code][2])
                    )
    return out
