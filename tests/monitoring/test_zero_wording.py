"""A zero reads as a zero (issue 13, item 19): not red, not "0 done" beside "in progress"."""

import re

import pytest
from django.utils import timezone

from monitoring.rollups import rollups_rebuild
from surveys.models import Respondent
from tests.surveys.conftest import complete, respondents

pytestmark = pytest.mark.django_db


def test_no_school_not_started_is_not_shown_in_red(world, mini_cycle, login):
    for school in (world.a, world.b, world.c):
        complete(respondents(mini_cycle, school).select_related("cycle", "school").first())
    rollups_rebuild(cycle_id=mini_cycle.pk)
    content = login(world.users["national"]).get("/pemantauan/").content.decode()
    if "data-not-started" not in content:  # the national board lives one click further
        content = login(world.users["national"]).get("/pemantauan/national/KPM/").content.decode()
    tag = re.search(r"<div[^>]*data-not-started=\"(\d+)\"[^>]*>", content)
    assert tag.group(1) == "0" and "text-danger" not in tag.group(0)


def test_a_respondent_in_progress_with_no_domain_done_does_not_read_domains_done_0(
    world, mini_cycle, login
):
    teacher = respondents(mini_cycle, world.a, "teacher").first()
    Respondent.objects.filter(pk=teacher.pk).update(started_at=timezone.now())
    content = login(world.users["coord_a"]).get("/ssqs/responden/").content.decode()
    row = re.search(rf'<tr[^>]*data-tag="{teacher.tag}".*?</tr>', content, re.S).group(0)
    assert 'data-domains-done="0"' in row and "belum ada yang selesai" in row
    assert not re.search(r"<td[^>]*>0</td>", row)
