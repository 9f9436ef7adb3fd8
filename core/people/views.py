"""The school's staff page: its head or ICT coordinator manages the school's named accounts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, services
from .forms import StaffCreateForm, StaffPasswordForm, StaffRoleForm
from .models import RoleGrant


def _school(request):
    return access.desk_school(request, "staff.manage")


def _member(school, user_id):
    member = services.staff_member(school=school, user_id=user_id)
    if member is None:
        raise Http404
    return member


def _errors(form):
    return " ".join(message for errors in form.errors.values() for message in errors)


@login_required
@require_http_methods(["GET", "POST"])
def staff(request):
    """The school's staff with their roles; a form to add a person."""
    school = _school(request)
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.staff_create(
                    school=school,
                    username=data["username"],
                    password=data["password1"],
                    roles_given=data["roles"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Account %(u)s created: it must change its password at first login.")
                    % {"u": user.username},
                )
                return redirect("people:staff")
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "people/staff.html",
        {
            "school": school,
            "form": form,
            "staff": services.school_staff(school=school),
            "role_choices": StaffRoleForm.base_fields["role"].choices,
        },
    )


@login_required
@require_POST
def staff_role(request, user_id):
    """Add a role to a staff member, or take one away."""
    school = _school(request)
    member = _member(school, user_id)
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(why)s") % {"why": _errors(form)})
        return redirect("people:staff")
    role, action = form.cleaned_data["role"], form.cleaned_data["action"]
    name = RoleGrant.Role(role).label
    try:
        if action == "add":
            done = services.staff_role_add(school=school, user=member, role=role, by=request.user)
            text = _("%(u)s is now %(role)s.") if done else _("%(u)s already is %(role)s.")
        else:
            done = services.staff_role_remove(
                school=school, user=member, role=role, by=request.user
            )
            text = _("%(u)s is no longer %(role)s.") if done else _("%(u)s was not %(role)s.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, text % {"u": member.username, "role": name})
    return redirect("people:staff")


@login_required
@require_POST
def staff_password(request, user_id):
    """Give a staff member a new password, to be changed at their next login."""
    school = _school(request)
    member = _member(school, user_id)
    form = StaffPasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The password was not changed: %(why)s") % {"why": _errors(form)})
        return redirect("people:staff")
    try:
        services.staff_password_reset(
            school=school, user=member, password=form.cleaned_data["password1"], by=request.user
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("The password was not changed: %(why)s") % {"why": " ".join(exc.messages)},
        )
    else:
        messages.success(
            request,
            _("New password set for %(u)s: they must change it at their next login.")
            % {"u": member.username},
        )
    return redirect("people:staff")
