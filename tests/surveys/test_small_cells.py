"""Small cells (domain.md 1.2): "a breakdown shown above the school itself (to an
officer) never shows a category figure computed from fewer than 3 respondents on
its own (one administrator, one coordinator): such figures are merged or
suppressed, and the page says so. The school's own result may show them."
"""

import pytest
from django.test.signals import template_rendered

from surveys.answering import domain_save
from surveys.disclosure import SMALL_CELL_MIN, held_back, sees_own_school
from surveys.models import Rating
from surveys.rating import breakdown_json, rating_recompute
from surveys.scoring import RespondentAnswers, score_school
from tests.surveys.conftest import best_post, complete, respondents

A, C, T, P = "administrator", "coordinator", "teacher", "pupil"
NOTE = "are not shown to officers"


def test_the_threshold_is_three_respondents():
    assert SMALL_CELL_MIN == 3


@pytest.mark.parametrize(
    "categories, counts, hidden",
    [
        # nothing small: every figure shows
        ((T, P), {T: 30, P: 30}, set()),
        ((A, T), {A: 3, T: 3}, set()),
        # one administrator and one coordinator: their figures are held back, and
        # since the two of them make only 2 (a merged cell would still be too
        # small), the indicator score minus the teachers' and pupils' figures
        # would give their sum: the teachers (first of the two largest, in
        # roster order) are held back with them
        ((A, C, T, P), {A: 1, C: 1, T: 30, P: 30}, {A, C, T}),
        # infrastructure (administrator and coordinator only): both held back
        ((A, C), {A: 1, C: 1}, {A, C}),
        # applications: what is left once A and C are out is one category, so it goes too
        ((A, C, T), {A: 1, C: 1, T: 30}, {A, C, T}),
        # the complementary cell held back is the smallest shown one
        ((A, T, P), {A: 1, T: 30, P: 5}, {A, P}),
        # two teachers are a small cell as well
        ((T, P), {T: 2, P: 30}, {T, P}),
        # held back together they reach 3: the rest may show
        ((A, C, T, P), {A: 1, C: 1, T: 1, P: 30}, {A, C, T}),
        # no one finished in a category: it has no figure and is not in the mean
        ((A, T, P), {A: 0, T: 30, P: 30}, set()),
        ((A, C, T), {A: 1, C: 0, T: 30}, {A, T}),
        # a count not known (a rating stored before the counts were): fail closed
        ((A, T), {T: 30}, {A, T}),
        ((A, T), {A: None, T: 30}, {A, T}),
    ],
)
def test_small_category_figures_are_held_back_from_officers(categories, counts, hidden):
    assert held_back(categories, counts) == hidden


def test_the_school_itself_sees_everything_and_everyone_above_it_does_not(world):
    users = world.users
    assert sees_own_school(users["coord_a"], world.a)
    assert not sees_own_school(users["coord_b"], world.a)
    for name in ("officer_d1", "officer_s1", "national", "admin"):
        assert not sees_own_school(users[name], world.a), name


def test_a_result_keeps_its_completed_respondents_per_category(world, mini_cycle):
    spec = mini_cycle.instrument.spec
    result = score_school(
        spec,
        [
            RespondentAnswers(A, True, {}),
            RespondentAnswers(C, False, {}),
            RespondentAnswers(T, True, {}),
            RespondentAnswers(T, True, {}),
            RespondentAnswers(P, False, {}),
        ],
    )
    assert result.respondents == {A: 1, C: 0, T: 2, P: 0}
    assert breakdown_json(result)["respondents"] == {A: 1, C: 0, T: 2, P: 0}


# --- the school's result page, its certificate and the district's certificate batch ---


def _worst(question):
    return min(question.options, key=lambda o: o.points).value


def _fill(cycle, school):
    """Finish the administrator (one answer not the best), the coordinator, 3 teachers, 3 pupils."""
    spec = cycle.instrument.spec
    admin = respondents(cycle, school, A).select_related("cycle", "school").get()
    for domain in spec.domains_for(A):
        post = best_post(spec, domain.code, A)
        choice = next(
            (q for q in spec.questions_in(domain.code, A) if q.type in ("single", "yesno")), None
        )
        if choice is not None:
            post.setlist(choice.code, [_worst(choice)])
        domain_save(respondent=admin, domain_code=domain.code, post=post)
    complete(respondents(cycle, school, C).select_related("cycle", "school").get())
    for category in (T, P):
        for respondent in respondents(cycle, school, category).select_related("cycle", "school")[
            :3
        ]:
            complete(respondent)
    rating_recompute(cycle_id=cycle.pk, school_id=school.pk)
    return Rating.objects.get(cycle=cycle, school=school)


def _figures(rating, table, key, category):
    share = rating.breakdown[table][key][category]
    return f">{share['earned']}/{share['possible']}<"


def test_an_officer_does_not_see_the_administrators_figures(world, real_cycle, login):
    rating = _fill(real_cycle, world.a)
    assert rating.breakdown["respondents"] == {A: 1, C: 1, T: 3, P: 3}
    admin = _figures(rating, "indicators", "human_capital", A)
    coordinator = _figures(rating, "indicators", "infrastructure", C)
    pupils = _figures(rating, "indicators", "human_capital", P)

    own = login(world.users["coord_a"]).get(f"/ssqs/sekolah/{world.a.code}/").content.decode()
    assert admin in own and coordinator in own and pupils in own
    assert "data-held-back" not in own and NOTE not in own

    for name in ("officer_d1", "officer_s1", "national", "admin"):
        page = login(world.users[name]).get(f"/ssqs/sekolah/{world.a.code}/").content.decode()
        assert admin not in page and coordinator not in page, name
        assert 'data-held-back="administrator"' in page
        assert 'data-held-back="coordinator"' in page
        assert 'data-held-back="small-cells"' in page
        # the teachers go with them: else the indicator score would give their sum
        assert 'data-held-back="teacher"' in page
        assert pupils in page  # three pupils together: shown
        # the rating itself stays whole
        assert f'data-score="{rating.score}" data-stars="{rating.stars}"' in page
        assert f'data-indicator="human_capital" data-score="{rating.human_capital}"' in page


def test_a_domain_holds_back_what_its_indicator_holds_back(world, real_cycle, login):
    rating = _fill(real_cycle, world.a)
    response = login(world.users["officer_d1"]).get(f"/ssqs/sekolah/{world.a.code}/")
    view = response.context["view"]
    shown = {(d["code"], c["category"]) for d in view["domains"] for c in d["categories"]} - {
        (d["code"], c["category"])
        for d in view["domains"]
        for c in d["categories"]
        if c["held_back"]
    }
    assert shown and all(category == P for _domain, category in shown)
    for domain, category in shown:
        assert _figures(rating, "domains", domain, category) in response.content.decode()


def test_a_rating_without_counts_shows_an_officer_no_category_figure(world, real_cycle, login):
    rating = _fill(real_cycle, world.a)
    del rating.breakdown["respondents"]
    rating.save()
    view = login(world.users["officer_d1"]).get(f"/ssqs/sekolah/{world.a.code}/").context["view"]
    cells = [c for i in view["indicators"] for c in i["categories"]]
    assert cells and all(c["held_back"] for c in cells)


def _certificate_views():
    views = []

    def collect(sender, template, context, **kwargs):
        if template.name == "surveys/pdf/certificate.html":
            views.append(context["view"])

    template_rendered.connect(collect)
    return views, lambda: template_rendered.disconnect(collect)


def test_the_certificates_an_officer_prints_hold_back_small_cells(
    world, mini_cycle, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    for respondent in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(respondent)
    rating = rating_recompute(cycle_id=mini_cycle.pk, school_id=world.c.pk)
    assert rating.status == "final"
    url = f"/ssqs/sekolah/{world.c.code}/sijil.pdf"

    own = login(world.users["coord_a"]).get(url)  # another school's coordinator
    assert own.status_code == 404
    officer_view = login(world.users["officer_s2"]).get(url).context["view"]
    human_capital = next(i for i in officer_view["indicators"] if i["code"] == "human_capital")
    assert [c["held_back"] for c in human_capital["categories"]] == [True]
    assert officer_view["held_back"]

    settings.MEDIA_ROOT = tmp_path
    world.c.district = world.d1
    world.c.save()
    views, stop = _certificate_views()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            login(world.users["officer_d1"]).post("/pemantauan/district/SGR-PETALING/sijil/")
    finally:
        stop()
    assert len(views) == 1 and views[0]["held_back"]
    # six teachers and six pupils (usage) show; one administrator or coordinator does not
    held = {i["code"]: {c["held_back"] for c in i["categories"]} for i in views[0]["indicators"]}
    assert held == {
        "usage": {False},
        "human_capital": {True},
        "applications": {True},
        "infrastructure": {True},
    }


def test_the_schools_own_certificate_keeps_every_figure(world, mini_cycle, login):
    from tests.factories import coordinator_for

    for respondent in respondents(mini_cycle, world.c).select_related("cycle", "school"):
        complete(respondent)
    rating_recompute(cycle_id=mini_cycle.pk, school_id=world.c.pk)
    view = (
        login(coordinator_for(world.c))
        .get(f"/ssqs/sekolah/{world.c.code}/sijil.pdf")
        .context["view"]
    )
    assert not view["held_back"]
    assert not any(c["held_back"] for i in view["indicators"] for c in i["categories"])
