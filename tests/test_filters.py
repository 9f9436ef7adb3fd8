"""ssqs_portal.filters: a school table's filters from a query string, nonsense named."""

from dataclasses import dataclass, field

import pytest

from ssqs_portal.filters import clean_choices

ALLOWED = {"level": ("primary", "secondary"), "sort": {"code": "school__code", "-score": "-score"}}


@dataclass
class Filters:
    q: str = ""
    level: str = ""
    sort: str = "code"
    ignored: list = field(default_factory=list)


@pytest.mark.parametrize(
    "params, level, sort, ignored",
    [
        ({}, "", "code", []),
        ({"level": "primary", "sort": "-score"}, "primary", "-score", []),
        ({"level": "", "sort": ""}, "", "code", []),  # blank: no filter, nothing to say
        ({"level": "tertiary", "sort": "-score"}, "", "-score", ["level"]),
        ({"level": "'; drop table", "sort": "x"}, "", "code", ["level", "sort"]),
    ],
)
def test_allowed_values_are_taken_and_the_others_named(params, level, sort, ignored):
    f = clean_choices(Filters(), params, ALLOWED)
    assert (f.level, f.sort, f.ignored) == (level, sort, ignored)


def test_the_search_text_is_trimmed_and_capped():
    assert clean_choices(Filters(), {"q": "  alfa  "}, ALLOWED).q == "alfa"
    assert len(clean_choices(Filters(), {"q": "x" * 500}, ALLOWED).q) == 100
