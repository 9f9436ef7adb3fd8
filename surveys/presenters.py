"""Shape instrument, answers and ratings into what the templates show."""

import json

from ssqs_portal.numbers import exact, round_places

from .answers import domain_is_complete
from .disclosure import held_back_by_indicator
from .instrument import CATEGORIES


def _display(question, value, lang):
    if value in (None, "", []):
        return ""
    if question.type in ("single", "yesno"):
        option = question.option(value)
        return option.label_in(lang) if option else str(value)
    if question.type == "multiple":
        values = value if isinstance(value, list) else [value]
        return ", ".join(o.label_in(lang) for o in question.options if o.value in values)
    return str(value)


def domain_progress(questions, answered) -> dict:
    """Return how many of the domain's mandatory questions have an answer ("3 of 5").

    ``answered``: the question codes with a (non-blank) answer.
    """
    mandatory = [q.code for q in questions if q.mandatory]
    return {"answered": sum(code in answered for code in mandatory), "mandatory": len(mandatory)}


def domain_view(spec, domain, questions, answers, posted, result, lang) -> dict:
    """Return one domain's questions with their current (or just typed) values.

    After a refused save, ``posted`` holds what the person typed, so the form
    shows it again with the errors; nothing typed is lost.
    """
    errors = result.cleaned.errors if result is not None else {}
    unknown = result.cleaned.unknown if result is not None else []
    items = []
    for question in questions:
        if posted is not None:
            raw = [v for v in posted.getlist(question.code) if v.strip()]
            selected = set(raw)
            value = raw[0] if raw and question.type not in ("multiple",) else raw
        else:
            value = answers.get(question.code)
            selected = set(value if isinstance(value, list) else [value] if value else [])
        items.append(
            {
                "code": question.code,
                "text": question.text_in(lang),
                "type": question.type,
                "mandatory": question.mandatory,
                "min": question.min,
                "max": question.max,
                "value": "" if value in (None, []) else value,
                "display": _display(question, answers.get(question.code), lang),
                "answered": answers.get(question.code) not in (None, "", []),
                # Mandatory and not answered (as stored): marked on the page and linked.
                "missing": question.mandatory and answers.get(question.code) in (None, "", []),
                "options": [
                    {
                        "value": o.value,
                        "label": o.label_in(lang),
                        "checked": o.value in selected,
                        "exclusive": o.exclusive,
                    }
                    for o in question.options
                ],
                "error": errors.get(question.code),
            }
        )
    shown = (
        posted.get("_initial")
        if posted is not None
        else json.dumps({q.code: answers.get(q.code) for q in questions})
    )
    return {
        "code": domain.code,
        "name": domain.name_in(lang),
        "questions": items,
        "initial_json": shown,
        "unknown": unknown,
        "complete": domain_is_complete(questions, answers),
        "has_errors": bool(errors or unknown),
        "progress": domain_progress(
            questions, {code for code, value in answers.items() if value not in (None, "", [])}
        ),
        "missing": [item for item in items if item["missing"]],
        # Something of this domain is stored: its unanswered mandatory questions are marked.
        "started": any(value not in (None, "", []) for value in answers.values()),
    }


def _percent(share):
    """Return the share earned in percent, one place, halves up (exact, not a float's round)."""
    if not share["possible"]:
        return None
    return round_places(exact(share["earned"]) * 100 / exact(share["possible"]), 1)


def _cells(by_category, hidden):
    cells = []
    for c in CATEGORIES:
        if c not in by_category:
            continue
        if c in hidden:
            cells.append({"category": c, "held_back": True})
            continue
        share = by_category[c]
        cells.append(
            {
                "category": c,
                **share,
                "percent": _percent(share),
                "lost": share["possible"] - share["earned"],
                "held_back": False,
            }
        )
    return cells


def indicators_with_data(indicators_breakdown) -> set:
    """Return the indicators some completed respondent has answered (domain.md 1.2).

    ``indicators_breakdown`` is a rating's ``breakdown["indicators"]``:
    indicator -> category -> {"earned", "possible"}. An indicator with no
    category holding possible points has no completed respondent: it scores 0
    in the rating but has no data, and a node's mean leaves it out.
    """
    return {
        code
        for code, categories in (indicators_breakdown or {}).items()
        if any((share or {}).get("possible") for share in categories.values())
    }


def result_view(spec, rating, lang, *, own_school=False) -> dict:
    """Return the rating's indicators and where points were lost, by category and domain.

    Unless ``own_school`` (the school looking at its own result), the category
    figures that the small-cell rule holds back from an officer are replaced
    by a marker, and ``held_back`` says that some were.
    """
    if rating is None:
        return {"indicators": [], "domains": [], "held_back": False}
    breakdown = rating.breakdown or {}
    by_indicator = breakdown.get("indicators", {})
    if own_school:
        hidden = {}
    else:
        hidden = held_back_by_indicator(by_indicator, breakdown.get("respondents", {}))
    scores = rating.indicator_scores()
    answered = indicators_with_data(by_indicator)
    indicators = []
    for indicator in spec.indicators:
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name_in(lang),
                "weight": indicator.weight,
                "score": scores[indicator.code],
                "has_data": indicator.code in answered,
                "categories": _cells(
                    by_indicator.get(indicator.code, {}), hidden.get(indicator.code, ())
                ),
            }
        )
    domains = []
    for domain in spec.domains:
        by_category = breakdown.get("domains", {}).get(domain.code)
        if not by_category:
            continue
        domains.append(
            {
                "code": domain.code,
                "name": domain.name_in(lang),
                "indicator": spec.indicator(domain.indicator).name_in(lang),
                # A domain's figures add up to its indicator's: it holds back the same.
                "categories": _cells(by_category, hidden.get(domain.indicator, ())),
            }
        )
    return {
        "indicators": indicators,
        "domains": domains,
        "held_back": any(hidden.values()),
    }
