"""The review acts on the pages, shared by every programme: the officers' and the school's.

Each programme keeps its own URLs (stable names) and calls ``act_response``
with the school (found through ``school_for_officer``, or for the school's
own submission ``school_for_school``: the one access check of these acts),
the period and where to go back to. ``submit_panel`` gives the school's
page what ``review/partials/submit.html`` shows.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.people import access

from . import programmes, rules, services
from .forms import ActForm


def school_for_officer(user, code: str, act: str):
    """Return the school where ``user`` may do ``act`` (e.g. ``"pibk.review"``).

    Through the one access rule: PermissionDenied for someone who may do the
    act nowhere, 404 for a school outside their scope (like a missing one).
    """
    return access.get_school(user, code, act)


def school_for_school(user, code: str, programme: str):
    """Return the school whose ``programme`` data ``user`` may submit (``"<programme>.submit"``).

    Through the one access rule, like ``school_for_officer``: PermissionDenied
    for someone who may submit nowhere (officers, the respondent account), 404
    for another school.
    """
    return access.get_school(user, code, f"{programme}.submit")


def submit_panel(user, school, subject, *, programme: str, action: str, window: str = ""):
    """Return what the school's page shows of a submission: the button, or who submitted when.

    The button appears only to those who may submit ``programme``'s data of
    ``school`` (``"<programme>.submit"``) and only while the subject may be
    submitted (open, returned, reopened: ``rules.allowed``). ``subject`` may
    be None (nobody acted yet: open).
    """
    state = subject.state if subject is not None else rules.OPEN
    may = access.can(user, f"{programme}.submit", school)
    return {
        "subject": subject,
        "state": state,
        "action": action,
        "window": window,
        "may_submit": may,
        "can_submit": may and rules.allowed(rules.SUBMIT, state),
    }


def decision_message(act: str, until=None) -> str:
    """Return the decision taken, as the officer reads it after the act."""
    if act == rules.VERIFY:
        return _("Verified")
    if act == rules.RETURN:
        return _("Returned with a comment")
    if act == rules.REOPEN:
        return _("Reopened until %(date)s") % {"date": date_format(until)}
    return _("Submitted")


def act_response(request, *, programme: str, school, year: int, back: str, act=None,
                 service=None):  # fmt: skip
    """Validate the form, do the act, and go back with the decision named.

    The officers' verify / return / reopen and the school's submit
    (``act=rules.SUBMIT``). Verifying or submitting incomplete data answers a
    confirmation page naming what is missing; only its confirmed POST acts.
    ``service`` replaces ``services.subject_act`` (same keywords) for a
    programme that writes its own records in the act's transaction (PASR's
    verified results).
    """
    found = programmes.get(programme)
    windows = {w: found.window_names[w] for w in found.windows if w} or None
    form = ActForm(request.POST, act=act, windows=windows)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(back)
    data = form.cleaned_data
    try:
        (service or services.subject_act)(
            programme=programme,
            year=year,
            school=school,
            window=data["window"],
            act=data["act"],
            by=request.user,
            comment=data["reason"] if data["act"] == rules.REOPEN else data["comment"],
            until=data["until"],
            confirmed=data["confirmed"],
        )
    except services.Incomplete as exc:
        return render(
            request,
            "review/confirm.html",
            {
                "school": school,
                "what": found.label(year, data["window"]),
                "missing": exc.missing,
                "action": request.get_full_path(),
                "window": data["window"],
                "comment": data["comment"],
                "back": back,
                "submitting": data["act"] == rules.SUBMIT,
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request,
        _("%(decision)s: %(code)s, %(what)s.")
        % {
            "decision": decision_message(data["act"], data["until"]),
            "code": school.code,
            "what": found.label(year, data["window"]),
        },
    )
    return redirect(back)
