"""PASR results: the candidate's result page, rating, moderation, review, absences, transfers.

Every view finds its school or candidate through ``pasr.access`` with its
act, validates its form, calls one service and renders or redirects.
Review acts (submit, verify, return, reopen) go through the shared
``core.review.views.act_response`` with ``results_act``, so a verification
writes its "verified" rows in the act's own transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.people import access as people_access
from core.review import rules as review_rules
from core.review.selectors import school_events, subjects_of
from core.review.views import act_response, school_for_officer, school_for_school, submit_panel

from .. import calendar, review, rules
from ..access import candidate_for, may, school_for
from ..instrument import instrument
from ..results_forms import (
    AbsenceForm,
    TransferForm,
    WithdrawForm,
    moderation_changes,
    rating_levels,
)
from ..selectors import results as selectors
from ..services import results as services


def _instrument(code: str) -> str:
    if code not in rules.INSTRUMENTS:
        raise Http404
    return code


def _year(request) -> int:
    return calendar.year_from(request.GET.get("year"))


def _class(request, classes) -> str | None:
    """Return the ?class= asked for if it is one of the school's classes, else None (all)."""
    chosen = request.GET.get("class")
    return chosen if chosen in classes else None


def _school_url(school, year) -> str:
    return reverse("pasr:school", args=[school.code]) + f"?year={year}"


def _grid_url(name, school, code, year, class_name) -> str:
    url = reverse(name, args=[school.code, code]) + f"?year={year}"
    return url + (f"&class={class_name}" if class_name else "")


def _levels():
    return [(level, rules.LEVEL_NAMES[level], rules.DESCRIPTORS[level]) for level in rules.LEVELS]


# -- the candidate's results -----------------------------------------------------------------


@login_required
def candidate(request, code, pk):
    """A candidate's result per construct with every stage's history (school staff only)."""
    school, found = candidate_for(request.user, code, pk, "pasr.candidates")
    results = selectors.candidate_results(found)
    here = found.school_id == school.id
    subjects = subjects_of(programme=review.CODE, year=found.year, school=school)
    may_absence = here and may(request.user, "pasr.absence", school)
    may_withdraw = (
        here
        and found.status in (rules.REGISTERED, rules.ABSENT)
        and may(request.user, "pasr.withdraw", school)
    )
    absent = {i["instrument"].code for i in results["instruments"] if i["absent"]}
    for block in results["instruments"]:
        block["review"] = subjects.get(block["instrument"].code)
    return render(
        request,
        "pasr/candidate.html",
        {
            "school": school,
            "candidate": found,
            "year": found.year,
            "here": here,
            "identity": rules.format_id(found.id_number)
            if may(request.user, "pasr.identity", school)
            else found.masked_id,
            "results": results,
            "levels": _levels(),
            "absence_form": AbsenceForm() if may_absence else None,
            "withdraw_form": WithdrawForm() if may_withdraw else None,
            "absence_choices": [
                (c, rules.INSTRUMENT_NAMES[c]) for c in rules.INSTRUMENTS if c not in absent
            ],
        },
    )


@login_required
@require_POST
def absent(request, code, pk):
    """The exam secretary records a candidate absent for a whole instrument window (4.6)."""
    school, found = candidate_for(request.user, code, pk, "pasr.absence", here_only=True)
    form = AbsenceForm(request.POST)
    back = reverse("pasr:candidate", args=[school.code, found.pk])
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.absence_record(candidate=found, school=school, by=request.user,
                                instrument_code=form.cleaned_data["instrument"],
                                note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    name = rules.INSTRUMENT_NAMES[form.cleaned_data["instrument"]]
    messages.success(
        request,
        _("%(name)s is recorded absent for %(instrument)s.")
        % {"name": found.name, "instrument": name},
    )
    return redirect(back)


@login_required
@require_POST
def withdraw(request, code, pk):
    """The exam secretary withdraws a candidate from PASR with a reason (final for the year)."""
    school, found = candidate_for(request.user, code, pk, "pasr.withdraw", here_only=True)
    form = WithdrawForm(request.POST)
    back = reverse("pasr:candidate", args=[school.code, found.pk])
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.candidate_withdraw(
            candidate=found, school=school, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("%(name)s is withdrawn from PASR.") % {"name": found.name})
    return redirect(back)


# -- rating and moderation grids ------------------------------------------------------------


def _grid_page(request, code, instrument_code, *, act, template, url_name):
    school = school_for(request.user, code, act)
    instrument_code = _instrument(instrument_code)
    year = _year(request)
    classes = selectors.classes_of(school=school, year=year)
    class_name = _class(request, classes)
    back = _grid_url(url_name, school, instrument_code, year, class_name)
    errors, posted = [], {}
    if request.method == "POST":
        try:
            if act == "pasr.rate":
                posted = {k: (v, "") for k, v in rating_levels(request.POST).items()}
                written = services.ratings_record(
                    school=school, year=year, instrument_code=instrument_code,
                    levels={k: v for k, (v, _r) in posted.items()}, by=request.user,
                )  # fmt: skip
            elif request.POST.get("action") == "confirm_all":
                written = services.moderations_confirm_all(
                    school=school, year=year, instrument_code=instrument_code,
                    class_name=class_name, by=request.user,
                )  # fmt: skip
            else:
                posted = moderation_changes(request.POST)
                written = services.moderations_record(
                    school=school, year=year, instrument_code=instrument_code, changes=posted,
                    by=request.user,
                )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("%(n)s results saved.") % {"n": written}
                if written
                else _("Nothing changed: no result was saved."),
            )
            return redirect(back)
    found = selectors.grid(school=school, year=year, instrument=instrument_code,
                           class_name=class_name)  # fmt: skip
    for row in found["rows"]:
        for cell in row["cells"]:
            chosen = posted.get((row["candidate"].pk, cell["construct"].code))
            cell["posted"], cell["posted_reason"] = chosen if chosen else (None, "")
    is_open, why = review.results_open(school, year, instrument_code)
    return render(
        request,
        template,
        {
            "school": school,
            "year": year,
            "instrument": instrument().get(instrument_code),
            "grid": found,
            "classes": classes,
            "class_name": class_name,
            "levels": _levels(),
            "level_names": rules.LEVEL_NAMES,
            "is_open": is_open,
            "closed_message": why,
            "errors": errors,
            "action": back,
            "may_moderate": may(request.user, "pasr.moderate", school),
            "may_rate": may(request.user, "pasr.rate", school),
        },
    )


@login_required
def rate(request, code, instrument_code):
    """The teacher's grid: candidates × constructs of one instrument, one POST for all."""
    return _grid_page(request, code, instrument_code, act="pasr.rate",
                      template="pasr/rate.html", url_name="pasr:rate")  # fmt: skip


@login_required
def moderate(request, code, instrument_code):
    """The subject head's moderation (moderasi skor): confirm or change with a reason."""
    return _grid_page(request, code, instrument_code, act="pasr.moderate",
                      template="pasr/moderate.html", url_name="pasr:moderate")  # fmt: skip


# -- the review acts (core.review) -----------------------------------------------------------


def _act(request, school, act=None):
    year = _year(request)
    return act_response(request, programme=review.CODE, school=school, year=year,
                        back=_school_url(school, year), act=act,
                        service=services.results_act)  # fmt: skip


@login_required
@require_POST
def submit(request, code):
    """The subject head submits an instrument's results to the verification committee."""
    return _act(request, school_for_school(request.user, code, review.CODE), review_rules.SUBMIT)


@login_required
@require_POST
def review_act(request, code):
    """The head (chairing the committee) verifies an instrument's results or returns them."""
    return _act(request, school_for_officer(request.user, code, "pasr.review"))


@login_required
@require_POST
def reopen(request, code):
    """The head or the examinations board reopens an instrument's results until a date."""
    return _act(request, school_for_officer(request.user, code, "pasr.reopen"),
                review_rules.REOPEN)  # fmt: skip


# -- transfers --------------------------------------------------------------------------------


@login_required
def transfer(request, code):
    """The new school's exam secretary takes over a registered candidate (seed 4.8-4.10)."""
    school = school_for(request.user, code, "pasr.transfer")
    year = _year(request)
    form = TransferForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.candidate_transfer(
                id_number=form.cleaned_data["id_number"], year=year, to_school=school,
                by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s now sits PASR %(year)s at this school (from %(from)s).")
                % {"name": done.candidate.name, "year": year, "from": done.from_school.code},
            )
            return redirect("pasr:candidate", school.code, done.candidate.pk)
    return render(
        request,
        "pasr/transfer.html",
        {
            "school": school,
            "year": year,
            "form": form,
            "refusal": refusal,
            "runs_pasr": services.school_year_of(school, year).runs_pasr,
            "transfers": selectors.transfers_of_school(school, year),
            "done_names": rules.DONE_NAMES,
        },
    )


@login_required
def transfers(request):
    """Transfers into and out of the schools an officer oversees (masked numbers, no names)."""
    act = "pasr.analysis"
    people_access.require(request.user, act)
    year = _year(request)
    schools = people_access.schools_for(request.user, act=act)
    districts = list(people_access.districts_for(request.user, act=act).order_by("code"))
    chosen = request.GET.get("district")
    district = next((d for d in districts if d.code == chosen), None)
    if district is not None:
        schools = schools.filter(district=district)
    return render(
        request,
        "pasr/transfers.html",
        {
            "year": year,
            "districts": districts,
            "district": district,
            "transfers": selectors.transfers_of_schools(schools, year),
            "done_names": rules.DONE_NAMES,
            "instruments": rules.INSTRUMENTS,
        },
    )


# -- the school page's panel -----------------------------------------------------------------


def school_panel(request, school, year):
    """Per instrument: its window, how far the results are, the review and what the user may do."""
    user = request.user
    subjects = subjects_of(programme=review.CODE, year=year, school=school)
    counts = selectors.stage_counts(school=school, year=year)
    may_review = may(user, "pasr.review", school)
    may_reopen = may(user, "pasr.reopen", school)
    instruments = []
    for code in rules.INSTRUMENTS:
        subject = subjects.get(code)
        dates = review.window_dates(year, code)
        _s, state = review.entry_state(school, year, code, subject=subject or False, dates=dates)
        # Nothing to verify before the board publishes the window and a teacher rates.
        published, rated = dates[1] is not None, counts[code]["rated"] > 0
        instruments.append(
            {
                "code": code,
                "name": rules.INSTRUMENT_NAMES[code],
                "dates": dates,
                "state": state,
                "subject": subject,
                "counts": counts[code],
                "submit": submit_panel(
                    user,
                    school,
                    subject,
                    programme=review.CODE,
                    action=reverse("pasr:submit", args=[school.code]) + f"?year={year}",
                    window=code,
                    label=_("Submit to the verification committee"),
                ),  # fmt: skip
                "can_review": may_review
                and rated
                and review_rules.allowed(review_rules.VERIFY, state_of(subject)),
                "can_return": may_review
                and review_rules.allowed(review_rules.RETURN, state_of(subject))
                and state_of(subject) != review_rules.OPEN,
                "can_reopen": may_reopen
                and published
                and review_rules.allowed(review_rules.REOPEN, state_of(subject))
                and not state.open,
            }
        )
    sees_names = may(user, "pasr.candidates", school)
    return {
        "candidates": list(
            selectors.active_candidates(school=school, year=year).order_by("class_name", "name")
        )
        if sees_names
        else [],
        "may_absence": may(user, "pasr.absence", school),
        "instruments": instruments,
        "events": school_events(programme=review.CODE, year=year, school=school),
        "may_rate": may(user, "pasr.rate", school),
        "may_moderate": may(user, "pasr.moderate", school),
        "may_transfer": may(user, "pasr.transfer", school),
        "sees_names": sees_names,
        "transfers": selectors.transfers_of_school(school, year),
        "done_names": rules.DONE_NAMES,
        "today": calendar.today(),
    }


def state_of(subject) -> str:
    return subject.state if subject is not None else review_rules.OPEN


urlpatterns = [
    path("pasr/sekolah/<str:code>/calon/<int:pk>/", candidate, name="candidate"),
    path("pasr/sekolah/<str:code>/calon/<int:pk>/tidak-hadir/", absent, name="absent"),
    path("pasr/sekolah/<str:code>/calon/<int:pk>/tarik-diri/", withdraw, name="withdraw"),
    path("pasr/sekolah/<str:code>/nilai/<str:instrument_code>/", rate, name="rate"),
    path("pasr/sekolah/<str:code>/moderasi/<str:instrument_code>/", moderate, name="moderate"),
    path("pasr/sekolah/<str:code>/hantar/", submit, name="submit"),
    path("pasr/sekolah/<str:code>/semak/", review_act, name="review"),
    path("pasr/sekolah/<str:code>/buka/", reopen, name="reopen"),
    path("pasr/sekolah/<str:code>/pindah/", transfer, name="transfer"),
    path("pasr/pemantauan/pindahan/", transfers, name="transfers"),
]
