"""The ministry administrators' pages for API keys: list, create (shown once), calls, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.people import access

from . import selectors, services
from .forms import KeyCreateForm

ACT = "api.keys"


def _key_for_user(user, pk):
    access.require(user, ACT)
    key = selectors.key_get(pk)
    if key is None:
        raise Http404
    return key


@login_required
@require_http_methods(["GET", "POST"])
def key_list(request):
    """The keys, and a form to make one: its secret is shown on the answer to the form, once."""
    access.require(request.user, ACT)
    form = KeyCreateForm(request.POST or None)
    created = secret = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, secret = services.key_create(
                    name=data["name"],
                    unit_code=data["unit"],
                    programmes=data["programmes"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = KeyCreateForm()
        if created is None:
            messages.error(request, _("No key was made: correct the fields marked below."))
    response = render(
        request,
        "api/keys.html",
        {"form": form, "keys": selectors.key_list(), "created": created, "secret": secret},
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_http_methods(["GET"])
def key_detail(request, pk):
    """A key: its scope, when it was last used, its latest calls."""
    key = _key_for_user(request.user, pk)
    return render(request, "api/key.html", {"key": key, "calls": selectors.key_calls(key)})


@login_required
@require_POST
def key_revoke(request, pk):
    key = _key_for_user(request.user, pk)
    if services.key_revoke(key=key, by=request.user):
        messages.success(request, _("Key %(name)s revoked: its next call is refused.") % {
            "name": key.name})  # fmt: skip
    else:
        messages.info(request, _("Key %(name)s was already revoked.") % {"name": key.name})
    return redirect("api_keys:detail", pk=key.pk)
