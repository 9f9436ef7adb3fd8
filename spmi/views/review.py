"""The district follows a school's plan through the review workflow (core.review)."""

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.review import rules as review_rules
from core.review.views import act_response, school_for_officer, school_for_school

from ..access import year_from
from ..review import CODE


def _back(school, year):
    return f"{reverse('spmi:plan', args=[school.code])}?year={year}"


@login_required
@require_POST
def submit(request, code):
    """The head sends the plan to the district."""
    year = year_from(request.GET.get("year"))
    school = school_for_school(request.user, code, CODE)
    return act_response(request, programme=CODE, school=school, year=year,
                        act=review_rules.SUBMIT, back=_back(school, year))  # fmt: skip


@login_required
@require_POST
def review(request, code):
    """An officer above the school verifies the plan or returns it with a comment."""
    year = year_from(request.GET.get("year"))
    school = school_for_officer(request.user, code, "spmi.review")
    return act_response(request, programme=CODE, school=school, year=year,
                        back=_back(school, year))  # fmt: skip


urlpatterns = [
    path("spmi/sekolah/<str:code>/hantar/", submit, name="submit"),
    path("spmi/sekolah/<str:code>/semak/", review, name="review"),
]
