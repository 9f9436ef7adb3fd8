"""The SSQS instrument as plain data: parsing, validation, look-ups.

Pure: a dict (from the YAML or JSON file) in, an ``InstrumentSpec`` or a
list of errors naming the place out. No database.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

INDICATOR_CODES = ("usage", "human_capital", "applications", "infrastructure")
CATEGORIES = ("administrator", "coordinator", "teacher", "pupil")
TYPES = ("single", "multiple", "yesno", "number", "text")
CHOICE_TYPES = ("single", "multiple", "yesno")
DEFAULT_YESNO = (
    {"value": "ya", "label": {"ms": "Ya", "en": "Yes"}, "points": 1},
    {"value": "tidak", "label": {"ms": "Tidak", "en": "No"}, "points": 0},
)


class InstrumentError(ValueError):
    """Raised with every problem found, each naming its place in the file."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def _text(value, lang):
    if isinstance(value, dict):
        return value.get(lang) or value.get("ms") or value.get("en") or ""
    return str(value or "")


@dataclass(frozen=True)
class Option:
    value: str
    label: dict
    points: int
    exclusive: bool = False  # "none of these": cannot be ticked with another option

    def label_in(self, lang):
        return _text(self.label, lang)


@dataclass(frozen=True)
class Indicator:
    code: str
    weight: Decimal
    name: dict

    def name_in(self, lang):
        return _text(self.name, lang)


@dataclass(frozen=True)
class Domain:
    code: str
    indicator: str | None  # None: the school profile's "Lain-lain", not scored
    name: dict
    order: int

    @property
    def is_profile(self):
        return self.indicator is None

    def name_in(self, lang):
        return _text(self.name, lang)


@dataclass(frozen=True)
class Question:
    code: str
    domain: str
    text: dict
    type: str
    mandatory: bool
    categories: tuple
    options: tuple = ()
    max_points: int | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    thresholds: tuple = ()  # ((at_least, points), ...) ascending
    order: int = 0

    def text_in(self, lang):
        return _text(self.text, lang)

    def option(self, value):
        for option in self.options:
            if option.value == value:
                return option
        return None

    @property
    def maximum(self) -> int:
        """Return the most points this question can earn (0 if not scored)."""
        if self.type in ("single", "yesno"):
            return max((o.points for o in self.options), default=0)
        if self.type == "multiple":
            positive = sum(o.points for o in self.options if o.points > 0)
            return min(positive, self.max_points) if self.max_points is not None else positive
        if self.type == "number":
            return max((points for _at, points in self.thresholds), default=0)
        return 0

    def points(self, value) -> int:
        """Return the points ``value`` (as stored) earns, within 0..maximum."""
        if value in (None, "", []):
            return 0
        if self.type in ("single", "yesno"):
            option = self.option(value)
            earned = option.points if option else 0
        elif self.type == "multiple":
            values = value if isinstance(value, list) else [value]
            earned = sum(o.points for o in self.options if o.value in values)
        elif self.type == "number":
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                return 0
            earned = 0
            for at_least, points in self.thresholds:
                if number >= at_least:
                    earned = points
        else:
            return 0
        return max(0, min(earned, self.maximum))


@dataclass(frozen=True)
class InstrumentSpec:
    year: int
    indicators: tuple
    domains: tuple
    questions: tuple

    def domain(self, code):
        return next((d for d in self.domains if d.code == code), None)

    def indicator(self, code):
        return next((i for i in self.indicators if i.code == code), None)

    @cached_property
    def indicator_weights(self):
        """Return indicator code -> its weight as an exact Fraction (e.g. 40 -> 40/1)."""
        from fractions import Fraction

        return {i.code: Fraction(str(i.weight)) for i in self.indicators}

    @cached_property
    def _questions_by_code(self):
        return {q.code: q for q in self.questions}

    def question(self, code):
        return self._questions_by_code.get(code)

    def is_scored(self, question):
        domain = self.domain(question.domain)
        return domain is not None and not domain.is_profile and question.maximum > 0

    def questions_in(self, domain_code, category=None):
        return [
            q
            for q in self.questions
            if q.domain == domain_code and (category is None or category in q.categories)
        ]

    def domains_for(self, category):
        """Return the respondent domains with a question for ``category``, in order."""
        asked = {q.domain for q in self.questions if category in q.categories}
        return [d for d in self.domains if not d.is_profile and d.code in asked]

    @property
    def profile_domains(self):
        return [d for d in self.domains if d.is_profile]


def _decimal(value, place, errors):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(f"{place}: '{value}' is not a number")
        return None


def parse_instrument(data) -> InstrumentSpec:
    """Return the instrument in ``data``, or raise InstrumentError listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InstrumentError(["the file does not hold a mapping of keys"])
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(f"year: '{year}' is not a year")

    indicators = []
    for i, raw in enumerate(data.get("indicators") or []):
        place = f"indicators[{i}]"
        code = (raw or {}).get("code")
        if code not in INDICATOR_CODES:
            errors.append(f"{place}: '{code}' is not one of {', '.join(INDICATOR_CODES)}")
            continue
        weight = _decimal(raw.get("weight"), f"{place} ({code}) weight", errors)
        if weight is not None:
            indicators.append(Indicator(code, weight, raw.get("name") or {}))
    codes = [i.code for i in indicators]
    for code in INDICATOR_CODES:
        if codes.count(code) != 1:
            errors.append(
                f"indicators: '{code}' must appear exactly once (found {codes.count(code)})"
            )
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != 100:
        errors.append(f"indicators: the weights sum to {total}, not 100")

    domains, seen_domains = [], set()
    for i, raw in enumerate(data.get("domains") or []):
        raw = raw or {}
        code = str(raw.get("code") or "")
        place = f"domains[{i}] ({code or '?'})"
        if not code:
            errors.append(f"{place}: the code is missing")
            continue
        if code in seen_domains:
            errors.append(f"{place}: duplicate domain code '{code}'")
            continue
        seen_domains.add(code)
        indicator = raw.get("indicator")
        if indicator is not None and indicator not in INDICATOR_CODES:
            errors.append(
                f"{place}: indicator '{indicator}' is not one of "
                f"{', '.join(INDICATOR_CODES)} (or null for the profile)"
            )
        domains.append(Domain(code, indicator, raw.get("name") or {}, i))
    if not domains:
        errors.append("domains: there are none")
    domain_by_code = {d.code: d for d in domains}

    questions, seen_questions = [], set()
    for i, raw in enumerate(data.get("questions") or []):
        raw = raw or {}
        code = str(raw.get("code") or "")
        place = f"questions[{i}] ({code or '?'})"
        if not code:
            errors.append(f"{place}: the code is missing")
            continue
        if code in seen_questions:
            errors.append(f"{place}: duplicate question code '{code}'")
            continue
        if code.startswith("_") or code in ("save", "csrfmiddlewaretoken"):
            errors.append(f"{place}: '{code}' is reserved")
            continue
        seen_questions.add(code)
        domain = domain_by_code.get(raw.get("domain"))
        if domain is None:
            errors.append(f"{place}: domain '{raw.get('domain')}' is not defined")
            continue
        qtype = raw.get("type")
        if qtype not in TYPES:
            errors.append(f"{place}: type '{qtype}' is not one of {', '.join(TYPES)}")
            continue
        if not _text(raw.get("text"), "ms"):
            errors.append(f"{place}: the question text is missing")
        categories = tuple(raw.get("categories") or ())
        bad = [c for c in categories if c not in CATEGORIES]
        if bad:
            errors.append(f"{place}: unknown categories {', '.join(map(str, bad))}")
        mandatory = bool(raw.get("mandatory", False))
        if not domain.is_profile and not categories:
            errors.append(
                f"{place}: no respondent category answers it"
                + (" but it is mandatory" if mandatory else "")
            )
        options = ()
        if qtype in CHOICE_TYPES:
            raw_options = raw.get("options") or (DEFAULT_YESNO if qtype == "yesno" else ())
            values = [str((o or {}).get("value", "")) for o in raw_options]
            if not raw_options:
                errors.append(f"{place}: a {qtype} question needs options")
            if len(set(values)) != len(values) or "" in values:
                errors.append(f"{place}: option values must be present and distinct")
            option_list = []
            for o in raw_options:
                points = o.get("points", 0)
                if not isinstance(points, int):
                    errors.append(
                        f"{place}: option '{o.get('value')}' points '{points}' "
                        "is not a whole number"
                    )
                    points = 0
                exclusive = o.get("exclusive", False)
                if not isinstance(exclusive, bool):
                    errors.append(
                        f"{place}: option '{o.get('value')}' exclusive '{exclusive}' "
                        "is not true or false"
                    )
                    exclusive = False
                elif exclusive and qtype != "multiple":
                    errors.append(
                        f"{place}: option '{o.get('value')}' is exclusive, but only a "
                        "multiple-choice question's options can be (one answer is already one)"
                    )
                    exclusive = False
                option_list.append(
                    Option(str(o.get("value")), o.get("label") or {}, points, exclusive)
                )
            if option_list and all(o.exclusive for o in option_list):
                errors.append(f"{place}: every option is exclusive; leave at least one that is not")
            options = tuple(option_list)
        max_points = raw.get("max_points")
        if max_points is not None and (
            qtype != "multiple" or not isinstance(max_points, int) or max_points < 0
        ):
            errors.append(
                f"{place}: max_points is for multiple-choice questions, a whole number of 0 or more"
            )
            max_points = None
        minimum = maximum = None
        thresholds = ()
        if qtype == "number":
            if raw.get("min") is not None:
                minimum = _decimal(raw.get("min"), f"{place} min", errors)
            if raw.get("max") is not None:
                maximum = _decimal(raw.get("max"), f"{place} max", errors)
            if minimum is not None and maximum is not None and minimum > maximum:
                errors.append(f"{place}: min {minimum} is above max {maximum}")
            pairs = []
            for t in raw.get("thresholds") or ():
                at_least = _decimal((t or {}).get("at_least"), f"{place} threshold", errors)
                points = (t or {}).get("points")
                if not isinstance(points, int):
                    errors.append(f"{place}: threshold points '{points}' is not a whole number")
                    continue
                if at_least is not None:
                    pairs.append((at_least, points))
            thresholds = tuple(sorted(pairs))
        questions.append(
            Question(
                code=code,
                domain=domain.code,
                text=raw.get("text") or {},
                type=qtype,
                mandatory=mandatory,
                categories=categories,
                options=options,
                max_points=max_points,
                min=minimum,
                max=maximum,
                thresholds=thresholds,
                order=i,
            )
        )

    spec = InstrumentSpec(
        year if isinstance(year, int) else 0, tuple(indicators), tuple(domains), tuple(questions)
    )
    for indicator in INDICATOR_CODES:
        if not any(
            spec.is_scored(q) and spec.domain(q.domain).indicator == indicator for q in questions
        ):
            errors.append(f"indicators: '{indicator}' has no scored question")
    for domain in domains:
        if not spec.questions_in(domain.code):
            errors.append(f"domains ({domain.code}): has no question")
    if errors:
        raise InstrumentError(errors)
    return spec
