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


def test_a_table_page_keeps_the_filters_in_its_links_but_not_the_page_or_format(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from ssqs_portal.filters import table_page

    request = rf.get("/", {"level": "tertiary", "sort": "-score", "page": "2", "format": "csv"})
    request.session = {}
    request._messages = FallbackStorage(request)
    filters = clean_choices(Filters(), request.GET, ALLOWED)
    page, querystring = table_page(request, list(range(120)), filters)
    assert (page.number, list(page)[:2]) == (2, [50, 51])
    assert querystring == "level=tertiary&sort=-score"
    warnings = [str(m) for m in get_messages(request)]
    assert len(warnings) == 1 and warnings[0].endswith(": level.")  # the ignored filter, named
