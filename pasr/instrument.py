"""The PASR instruments as data (``pasr/instruments/pasr-v<N>.yaml``), loaded and validated.

Seed 002, 4.4 and 4.5 list the constructs; the file gives each a stable code
and its Malay and English names. ``load_instrument`` refuses a file that
breaks the shape with every error named (like the SSQS instrument), and
``instrument()`` returns the current version, read once per process.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils import translation

from . import rules

DIRECTORY = Path(__file__).resolve().parent / "instruments"
CURRENT_VERSION = 1
CODE = re.compile(r"^P[12]-[A-Z]{2}-\d$")


class InstrumentError(ValueError):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def _name(names: dict, lang: str | None = None) -> str:
    lang = (lang or translation.get_language() or "ms")[:2]
    return names.get(lang) or names.get("ms") or ""


@dataclass(frozen=True)
class Construct:
    code: str
    names: dict
    subject: "Subject"

    @property
    def name(self) -> str:
        return _name(self.names)

    def name_in(self, lang: str) -> str:
        return _name(self.names, lang)

    @property
    def instrument(self) -> str:
        return self.subject.instrument


@dataclass(frozen=True)
class Subject:
    code: str
    names: dict
    instrument: str
    components: tuple  # ((code, names), ...): Kemahiran Hidup only
    constructs: tuple = ()

    @property
    def name(self) -> str:
        return _name(self.names)

    def name_in(self, lang: str) -> str:
        return _name(self.names, lang)

    def component_name(self, code: str, lang: str | None = None) -> str:
        for component, names in self.components:
            if component == code:
                return _name(names, lang)
        return ""


@dataclass(frozen=True)
class Instrument:
    code: str
    names: dict
    weeks: int
    subjects: tuple

    @property
    def name(self) -> str:
        return _name(self.names)

    @property
    def constructs(self) -> list[Construct]:
        return [c for s in self.subjects for c in s.constructs]


@dataclass(frozen=True)
class InstrumentSet:
    version: int
    instruments: tuple

    def get(self, code: str) -> Instrument:
        return next(i for i in self.instruments if i.code == code)

    @functools.cached_property
    def constructs(self) -> list[Construct]:
        """Every construct, ProKhas 1 then ProKhas 2, in the seed's order (20 in version 1)."""
        return [c for i in self.instruments for c in i.constructs]

    @functools.cached_property
    def by_code(self) -> dict:
        return {c.code: c for c in self.constructs}

    def construct(self, code: str) -> Construct:
        return self.by_code[code]


def parse(data) -> InstrumentSet:
    """Return the instrument set ``data`` describes; InstrumentError naming every fault."""
    errors = []
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise InstrumentError(["the file needs a whole-number 'version'"])
    seen = set()
    instruments = []
    found = [i.get("code") for i in data.get("instruments") or [] if isinstance(i, dict)]
    if found != list(rules.INSTRUMENTS):
        errors.append(f"instruments must be {', '.join(rules.INSTRUMENTS)} in that order")
    for raw in data.get("instruments") or []:
        if not isinstance(raw, dict):
            errors.append("an instrument is not a mapping")
            continue
        code = raw.get("code")
        subjects = []
        for sraw in raw.get("subjects") or []:
            scode = sraw.get("code")
            names = sraw.get("name") or {}
            if not names.get("ms") or not names.get("en"):
                errors.append(f"{code}/{scode}: a subject needs a Malay and an English name")
            components = tuple(
                (c.get("code"), c.get("name") or {}) for c in sraw.get("components") or []
            )
            if components and tuple(c for c, _n in components) != rules.KH_COMPONENTS:
                errors.append(
                    f"{code}/{scode}: components must be {', '.join(rules.KH_COMPONENTS)}"
                )
            subject = Subject(scode, names, code, components)
            constructs = []
            for craw in sraw.get("constructs") or []:
                ccode = str(craw.get("code") or "")
                cnames = craw.get("name") or {}
                if not CODE.match(ccode):
                    errors.append(f"{code}/{scode}: construct code {ccode!r} is not like P1-BM-1")
                elif ccode in seen:
                    errors.append(f"construct {ccode} appears twice")
                elif not ccode.startswith("P1" if code == rules.PROKHAS1 else "P2"):
                    errors.append(f"construct {ccode} is not in {code}")
                seen.add(ccode)
                if not cnames.get("ms") or not cnames.get("en"):
                    errors.append(f"construct {ccode} needs a Malay and an English name")
                constructs.append(Construct(ccode, cnames, subject))
            if not constructs:
                errors.append(f"{code}/{scode}: a subject needs at least one construct")
            object.__setattr__(subject, "constructs", tuple(constructs))
            subjects.append(subject)
        instruments.append(
            Instrument(code, raw.get("name") or {}, int(raw.get("weeks") or 0), tuple(subjects))
        )
    if errors:
        raise InstrumentError(errors)
    return InstrumentSet(data["version"], tuple(instruments))


def load_instrument(path) -> InstrumentSet:
    """Read and validate an instrument file (YAML)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InstrumentError([f"{path}: {exc}"]) from exc
    return parse(data)


@functools.cache
def instrument(version: int = CURRENT_VERSION) -> InstrumentSet:
    """The instrument set of ``version`` (the current one by default), read once."""
    return load_instrument(DIRECTORY / f"pasr-v{version}.yaml")
