"""The officers' review acts, shared by every programme.

Each programme keeps its own URLs (stable names) and calls ``act_response``
with the school (found through ``school_for_officer``, the one access check
of these acts), the period and where to go back to.
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


def decision_message(act: str, until=None) -> str:
    """Return the decision taken, as the officer reads it after the act."""
    if act == rules.VERIFY:
        return _("Verified")
    if act == rules.RETURN:
        return _("Returned with a comment")
    if act == rules.REOPEN:
        return _("Reopened until %(date)s") % {"date": date_format(until)}
    return _("Submitted")


def act_response(request, *, programme: str, school, year: int, back: str, act=None):
    """Validate the officer's form, do the act, and go back with the decision named.

    A verification of incomplete data answers a confirmation page naming
    what is missing; only its confirmed POST verifies.
    """
    found = programmes.get(programme)
    windows = {w: found.window_names[w] for w in found.windows if w} or None
    form = ActForm(request.POST, act=act, windows=windows)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(back)
    data = form.cleaned_data
    try:
        services.subject_act(
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
