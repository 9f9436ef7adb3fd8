"""Question inputs name and describe themselves by ids that exist (issue 13, item 20).

The browser walk (tests/browser/test_accessibility_browser.py) runs axe-core on
pages as they first open; this covers the page after a refused answer, where
the error must be tied to its input.
"""

import re
from html.parser import HTMLParser

import pytest

from surveys.models import ProfileAnswer
from tests.factories import coordinator_for


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.inputs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "input" and a.get("type") == "text" and re.match(r"L1-\d+$", a.get("name", "")):
            self.inputs.append(a)


@pytest.mark.django_db
def test_a_refused_number_is_tied_to_its_input_by_ids_that_exist(world, real_cycle, client):
    client.force_login(coordinator_for(world.a))
    response = client.post("/ssqs/profil/", {"L1-01": "banyak", "save": ""})
    assert response.status_code == 400
    assert not ProfileAnswer.objects.filter(school=world.a).exists()
    page = Inputs()
    page.feed(response.content.decode())
    assert len(page.inputs) >= 3
    for field in page.inputs:
        named_by = field["aria-labelledby"].split()
        described_by = field.get("aria-describedby", "").split()
        assert named_by and set(named_by + described_by) <= page.ids, field
    refused = next(f for f in page.inputs if f["name"] == "L1-01")
    assert refused["aria-invalid"] == "true"
    assert "L1-01-error" in refused["aria-describedby"].split()
    assert all("aria-invalid" not in f for f in page.inputs if f["name"] != "L1-01")
