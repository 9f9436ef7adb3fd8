"""A trainee's login (item 7): the centre's administrator gives it from the intake's list.

POST only: the slip with the first password is the answer to the POST, shown once and
never cached (``never_cache``); nothing keeps the password in clear.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import access, rules
from ..models import Enrolment
from ..services import accounts as services


@never_cache
@login_required
@require_POST
def trainee_account(request, code, pk, enrolment):
    """Give an enrolled trainee a login (or a new first password) and show the slip."""
    intake = access.intake_for(request.user, code, pk, "skills.trainee.account")
    found = get_object_or_404(
        Enrolment.objects.select_related("trainee", "intake__centre"), pk=enrolment, intake=intake
    )
    try:
        slip = services.trainee_account_give(enrolment=found, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("skills:intake", code=intake.centre.code, pk=intake.pk)
    return render(
        request,
        "skills/account_slip.html",
        {
            "slip": slip,
            "intake": intake,
            "centre": intake.centre,
            "shown_id": rules.mask_id(slip.trainee.id_number),
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
        },
    )


urlpatterns = [
    path("kemahiran/pusat/<str:code>/pengambilan/<int:pk>/pelatih/<int:enrolment>/akaun/",
         trainee_account, name="trainee_account"),
]  # fmt: skip
