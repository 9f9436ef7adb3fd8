"""Facilities self-declared and checked (Kemudahan Pusat Bertauliah), pure: no database.

The body (JPK) keeps a facilities checklist as data (``skills/facilities/checklist-v1.yaml``
is the first version). Once a year a centre's administrator declares each item of the
checklist in force; the body's certification officer checks the declaration on a visit.

The published rules, as the tests quote them:

- "Every item of the checklist is answered: in place, with how (what is there), or not
  in place."
- "A declaration may be changed until the body has checked it; a checked declaration is
  closed to the centre (the body may amend its findings)."
- "On the visit the body confirms or rejects each item declared in place; a rejection
  says why. An item declared not in place is not confirmed."
- "Facilities checked (the rating's measure): of the items of the centre's checked
  declaration of the year, the share the body confirmed, in per cent. No checked
  declaration that year: no data."
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_ITEMS = 40
MAX_CHECKLIST_BYTES = 32 * 1024
TEXT_MAX = 300
NOTE_MAX = 1000
CODE = re.compile(r"^[A-Z][A-Z0-9_-]{0,19}$")

# The states of a declaration.
DECLARED, CHECKED = "declared", "checked"
STATE_CHOICES = [(DECLARED, _("Awaiting the body's check")), (CHECKED, _("Checked"))]
# The body's finding on one item.
CONFIRMED, REJECTED, ABSENT = "confirmed", "rejected", "absent"
FINDING_CHOICES = [
    (CONFIRMED, _("Confirmed")),
    (REJECTED, _("Rejected")),
    (ABSENT, _("Not in place (as declared)")),
]


@dataclass(frozen=True)
class Item:
    code: str
    text_ms: str
    text_en: str
    evidence_ms: str = ""
    evidence_en: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple
    note: str = ""


@dataclass
class ChecklistErrors(Exception):
    problems: list = field(default_factory=list)

    def __str__(self):
        return "; ".join(str(p) for p in self.problems)


def _text(value, limit, required=True):
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        return None
    return value.strip()


def parse_checklist(data) -> Checklist:
    """Return the checklist ``data`` (what YAML ``safe_load`` read) describes, or raise
    ``ChecklistErrors`` naming every problem."""
    if not isinstance(data, dict):
        raise ChecklistErrors([_("The file must hold a mapping with 'items'.")])
    problems = []
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        problems.append(_("'items' must be a list of at least one item."))
        raw = []
    if len(raw) > MAX_ITEMS:
        problems.append(_("At most %(n)s items.") % {"n": MAX_ITEMS})
        raw = raw[:MAX_ITEMS]
    items, codes = [], set()
    for i, entry in enumerate(raw, start=1):
        where = _("Item %(i)s") % {"i": i}
        if not isinstance(entry, dict):
            problems.append(_("%(where)s: must be a mapping.") % {"where": where})
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(
                _("%(where)s: 'code' must be 1-20 capital letters, digits, '-' or '_', "
                  "starting with a letter.") % {"where": where}
            )  # fmt: skip
            code = ""
        elif code in codes:
            problems.append(_("%(where)s: the code %(code)s is used twice.")
                            % {"where": where, "code": code})  # fmt: skip
        codes.add(code)
        texts = {}
        for key, required in (("text_ms", True), ("text_en", True), ("evidence_ms", False),
                              ("evidence_en", False)):  # fmt: skip
            value = _text(entry.get(key), TEXT_MAX, required)
            if value is None:
                problems.append(
                    _("%(where)s: '%(key)s' must be a text of %(min)s-%(max)s characters.")
                    % {"where": where, "key": key, "min": 1 if required else 0, "max": TEXT_MAX}
                )  # fmt: skip
                value = ""
            texts[key] = value
        items.append(Item(code=code, **texts))
    if problems:
        raise ChecklistErrors(problems)
    note = data.get("note", "")
    return Checklist(items=tuple(items),
                     note=note.strip()[:1000] if isinstance(note, str) else "")  # fmt: skip


# --- the declaration and its check ---
def declare_refusal(*, state: str | None) -> str | None:
    """Why the centre cannot (re)declare now (None: it can): a checked one is closed."""
    if state == CHECKED:
        return str(
            _("The body has checked this year's declaration; it can no longer be changed. "
              "Ask the body if something has changed since the visit.")
        )  # fmt: skip
    return None


def declaration_problems(answers: dict, codes) -> list:
    """What is wrong with a declaration: ``answers`` {code: (in place, how)} for ``codes``.

    Every item answered; an item in place says how (what is there).
    """
    problems = []
    for code in codes:
        if code not in answers or answers[code][0] is None:
            problems.append((code, _("Say whether this is in place.")))
        elif answers[code][0] and not (answers[code][1] or "").strip():
            problems.append((code, _("Say what is in place (e.g. sizes, numbers, dates).")))
    return problems


def check_refusal(*, state: str | None) -> str | None:
    """Why the body cannot check now (None: it can)."""
    if state is None:
        return str(_("The centre has not declared its facilities for this year."))
    return None


def finding_problems(findings: dict, declared: dict) -> list:
    """What is wrong with the body's findings ``findings`` {code: (finding, note)} against
    ``declared`` {code: in place}: each item in place confirmed or rejected, a rejection
    with its reason; an item not in place is recorded as such."""
    problems = []
    for code, in_place in declared.items():
        finding, note = findings.get(code, (None, ""))
        if not in_place:
            continue
        if finding not in (CONFIRMED, REJECTED):
            problems.append((code, _("Confirm or reject this item.")))
        elif finding == REJECTED and not (note or "").strip():
            problems.append((code, _("Say why the item is rejected.")))
    return problems


def finding_of(in_place: bool, finding: str | None) -> str:
    """The finding stored for an item (an item not in place: absent, whatever was sent)."""
    return finding if in_place else ABSENT
