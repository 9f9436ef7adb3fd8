import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.people import access
from core.review import rules as review_rules
from core.review.selectors import events_of as review_events
from core.review.views import act_response, school_for_school, submit_panel
from ssqs_portal.clientip import client_ip
from ssqs_portal.pdf import document_response

from . import answering, pdfs, rosters, rules, selectors
from .disclosure import sees_own_school
from .forms import (
    RemoveRespondentForm,
    RespondentPasswordForm,
    RosterNamesForm,
    TagForm,
)
from .models import Answer, ProfileAnswer, Respondent
from .presenters import domain_progress, domain_view, result_view

SESSION_KEY = "ssqs_respondent"


def _cycle_or_404():
    cycle = selectors.current_cycle()
    if cycle is None:
        raise Http404(_("No SSQS cycle has been opened yet."))
    return cycle


def _coordinator_context(request):
    """Return (school, cycle) for the logged-in coordinator."""
    school = access.desk_school(request, "ssqs.roster.manage")
    return school, _cycle_or_404()


def _current_respondent(request):
    """Return the respondent chosen in this session, or None."""
    user = request.user
    if not (access.can(user, "ssqs.answer") and user.school_id):
        raise PermissionDenied
    respondent_id = request.session.get(SESSION_KEY)
    if respondent_id is None:
        return None
    return (
        Respondent.objects.select_related("school", "cycle__instrument")
        .defer("cycle__instrument__data")
        .filter(pk=respondent_id, school_id=user.school_id)
        .first()
    )


def _is_background(request) -> bool:
    """Return whether the request is a save made by the page's script (fetch or htmx)."""
    return request.headers.get("X-Autosave") == "1" or bool(getattr(request, "htmx", False))


def _login_again(url: str):
    """Answer a background save whose session is gone: where to go, never a login page.

    A page's script reads ``redirect`` (and htmx the ``HX-Redirect`` header),
    keeps the unsaved answers in the browser and goes there.
    """
    response = JsonResponse(
        {
            "status": "login",
            "redirect": url,
            "message": _("Your session has ended. Log in again: your answers are kept."),
        },
        status=401,
    )
    response["HX-Redirect"] = url
    return response


def _choose_url(next_path: str) -> str:
    return f"{reverse('surveys:choose_respondent')}?{urlencode({'next': next_path})}"


def _respondent_or_choose(view):
    """Run ``view`` with the chosen respondent; without one, go (back) through Pilih.

    The page asked for is kept as ``next`` through the login and Pilih, so a
    respondent whose session ended comes back to the same domain.
    """

    def wrapper(request, *args, **kwargs):
        background = request.method == "POST" and _is_background(request)
        if not request.user.is_authenticated:
            if background:
                login_url = resolve_url(settings.LOGIN_URL)
                return _login_again(f"{login_url}?{urlencode({'next': request.path})}")
            return redirect_to_login(request.get_full_path())
        respondent = _current_respondent(request)
        if respondent is None:
            if background:
                return _login_again(_choose_url(request.path))
            if request.method == "GET" and request.resolver_match.url_name == "domain":
                return redirect(_choose_url(request.path))
            return redirect("surveys:choose_respondent")
        return view(request, respondent, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- coordinator ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Profil Sekolah: the school's facts and the "Lain-lain" domain."""
    school, cycle = _coordinator_context(request)
    spec = cycle.instrument.spec
    domain = spec.profile_domains[0] if spec.profile_domains else None
    window = selectors.window_state(cycle=cycle, school=school)
    posted, result = None, None
    if request.method == "POST" and domain is not None:
        try:
            result = answering.profile_save(
                cycle=cycle, school=school, domain_code=domain.code, post=request.POST
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("surveys:profile")
        if result.is_valid:
            # The notice is shown beside the form, where the coordinator is looking.
            return redirect(f"{reverse('surveys:profile')}?saved=1")
        posted = request.POST
    answers = dict(
        ProfileAnswer.objects.filter(cycle=cycle, school=school).values_list("question", "value")
    )
    context = {
        "school": school,
        "cycle": cycle,
        "window": window,
        "saved": request.method == "GET" and request.GET.get("saved") == "1",
        "form": domain_view(
            spec,
            domain,
            spec.questions_in(domain.code) if domain else [],
            answers,
            posted,
            result,
            get_language(),
        )
        if domain
        else None,
    }
    return render(request, "surveys/profile.html", context, status=400 if posted else 200)


@login_required
@require_http_methods(["GET", "POST"])
def roster(request):
    """Maklumat Responden: the roster with tag numbers, names and progress."""
    school, cycle = _coordinator_context(request)
    window = selectors.window_state(cycle=cycle, school=school)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "names":
                form = RosterNamesForm(
                    request.POST,
                    [
                        (r.pk, r.tag_display)
                        for r in Respondent.objects.filter(cycle=cycle, school=school).only("tag")
                    ],
                )
                if not form.is_valid():
                    for message in form.error_messages_list():
                        messages.error(request, message)
                    return redirect("surveys:roster")
                changed = rosters.respondent_names_set(
                    cycle=cycle, school=school, names=form.names()
                )
                messages.success(request, _("%(n)s names saved.") % {"n": changed})
            elif action == "add":
                respondent = rosters.respondent_add(
                    cycle=cycle, school=school, category=request.POST.get("category", "")
                )
                messages.success(
                    request,
                    _("Added %(who)s with tag %(tag)s.")
                    % {"who": respondent.get_category_display(), "tag": respondent.tag_display},
                )
            elif action == "remove":
                form = RemoveRespondentForm(request.POST)
                respondent = (
                    Respondent.objects.filter(
                        pk=form.cleaned_data["respondent"], cycle=cycle, school=school
                    ).first()
                    if form.is_valid()
                    else None
                )
                if respondent is None:
                    problem = " ".join(form.errors.get("respondent", [])) or _(
                        "That respondent is not on your school's roster."
                    )
                    messages.error(request, f"{form.fields['respondent'].label}: {problem}")
                else:
                    rosters.respondent_remove(respondent=respondent)
                    messages.success(request, _("Respondent removed."))
            else:
                messages.error(request, _("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("surveys:roster")
    respondents = selectors.roster(cycle=cycle, school=school)
    context = {
        "school": school,
        "cycle": cycle,
        "window": window,
        "respondents": respondents,
        "completion": selectors.completion(respondents),
        "extra_categories": [
            (c, label)
            for c, label in Respondent.Category.choices
            if c in rules.EXTRA_ALLOWED[school.is_skm]
        ],
        "password_form": RespondentPasswordForm(),
        "active_respondents": answering.respondents_active(cycle=cycle, school=school),
        "active_minutes": answering.ACTIVE_MINUTES,
        "respondent_password_set": rosters.respondent_password_is_set(school=school),
        "required": rules.required_respondents(school.is_skm),
    }
    return render(request, "surveys/roster.html", context)


@login_required
@require_POST
def respondent_password(request):
    """Set the password of the school's shared respondent account."""
    school, cycle = _coordinator_context(request)
    form = RespondentPasswordForm(request.POST)
    active = answering.respondents_active(cycle=cycle, school=school)
    if form.is_valid() and active and not form.cleaned_data["confirm_logout"]:
        # Nothing changed: the coordinator chooses, knowing who would be logged out.
        messages.warning(
            request,
            ngettext(
                "Not changed: %(n)s respondent is answering now and would be asked to log "
                'in again. Press "Change now" to change it anyway, or wait until they finish.',
                "Not changed: %(n)s respondents are answering now and would be asked to log "
                'in again. Press "Change now" to change it anyway, or wait until they finish.',
                active,
            )
            % {"n": active},
        )
    elif form.is_valid():
        try:
            rosters.respondent_password_set(school=school, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The respondent password of %(code)sR has been set.") % {"code": school.code},
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("surveys:roster")


@login_required
def slips(request):
    """The roster printed as cut-out slips, one per respondent (PDF)."""
    school, cycle = _coordinator_context(request)
    respondents = selectors.roster(cycle=cycle, school=school)
    return document_response(
        pdfs.slips(
            school=school,
            cycle=cycle,
            respondents=respondents,
            login_url=request.build_absolute_uri(reverse("accounts:login")),
            request=request,
        )
    )


# --- results (coordinator of the school, officers above it) ---------------------------


@login_required
def result(request, code):
    """The school's SSQS result: score, band, stars, indicators, completion."""
    school = access.get_school(request.user, code, "ssqs.results.view")
    cycle = _cycle_or_404()
    rating = selectors.rating_for(cycle=cycle, school=school)
    respondents = selectors.roster(cycle=cycle, school=school)
    subject = selectors.review_subject(cycle=cycle, school=school)
    context = {
        "school": school,
        "cycle": cycle,
        "rating": rating,
        "view": result_view(
            cycle.instrument.spec,
            rating,
            get_language(),
            own_school=sees_own_school(request.user, school),
        ),
        "respondents": respondents,
        "completion": selectors.completion(respondents),
        "window": selectors.window_state(cycle=cycle, school=school, subject=subject),
        "can_reopen": access.can(request.user, "ssqs.reopen", school),
        "own_school": access.can(request.user, "desktop.view", school),
        "review_subject": subject,
        "review_events": review_events(subject),
        "submit": submit_panel(
            request.user,
            school,
            subject,
            programme="ssqs",
            action=reverse("surveys:submit", args=[school.code]),
        ),
    }
    return render(request, "surveys/result.html", context)


@login_required
def certificate(request, code):
    """The school's star certificate (PDF), once the rating is final."""
    school = access.get_school(request.user, code, "ssqs.results.view")
    cycle = _cycle_or_404()
    rating = selectors.rating_for(cycle=cycle, school=school)
    if rating is None or rating.status != rating.Status.FINAL:
        messages.error(
            request,
            _(
                "The certificate is printed once the rating is final: every "
                "respondent must finish first."
            ),
        )
        return redirect("surveys:result", code=school.code)
    return document_response(
        pdfs.certificate(
            school=school,
            cycle=cycle,
            rating=rating,
            lang=get_language(),
            own_school=sees_own_school(request.user, school),
            request=request,
        )
    )


@login_required
@require_POST
def reopen(request, code):
    """An officer above the school reopens its window until a date (core.review)."""
    from core.review.views import school_for_officer

    return _cycle_act(request, school_for_officer(request.user, code, "ssqs.reopen"), "reopened")


@login_required
@require_POST
def submit(request, code):
    """The school's coordinator submits this cycle's data for the officers' review (core.review)."""
    return _cycle_act(request, school_for_school(request.user, code, "ssqs"), review_rules.SUBMIT)


def _cycle_act(request, school, act):
    """An act on the school's data of this cycle (core.review), then back to its result."""
    cycle = _cycle_or_404()
    return act_response(
        request,
        programme="ssqs",
        school=school,
        year=cycle.year,
        act=act,
        back=reverse("surveys:result", args=[school.code]),
    )


# --- respondent ---------------------------------------------------------------------


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def _wait_message(wait) -> str:
    if wait.scope == "session":
        text = _(
            "You have typed too many wrong tag numbers. Check your slip, "
            "then try again in %(wait)s."
        )
    else:
        text = _(
            "Too many wrong tag numbers have been typed for your school. Try again in "
            "%(wait)s, or ask your ICT coordinator for your slip."
        )
    return text % {"wait": _wait_text(wait.seconds)}


def _next_domain_path(request) -> str | None:
    """Return the respondent page to go back to after Pilih (``next``), if it is one of ours."""
    path = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    prefix = reverse("surveys:domains")
    return path if path.startswith(prefix) and "\x00" not in path else None


@login_required
@require_http_methods(["GET", "POST"])
def choose_respondent(request):
    """Pilih Responden: the respondent types their tag number (throttled: surveys.throttle)."""
    if not (access.can(request.user, "ssqs.answer") and request.user.school_id):
        raise PermissionDenied
    cycle = _cycle_or_404()
    guard = {
        "account_id": request.user.pk,
        "address": client_ip(request),
        "session": request.session,
    }
    wait = rosters.tag_wait(**guard)
    context = {
        "cycle": cycle,
        "wait_message": _wait_message(wait) if wait else "",
        "next": _next_domain_path(request) or "",
    }
    if request.method == "POST" and wait:
        # Refused before the tag is looked at, so a guess learns nothing.
        response = render(
            request, "surveys/choose.html", {**context, "form": TagForm()}, status=429
        )
        response["Retry-After"] = str(wait.seconds)
        return response
    # Bound on every POST, even an empty or JSON one, so it asks for the tag.
    form = TagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        tag = rules.normalize_tag(form.cleaned_data["tag_number"])
        respondent = (
            tag
            and Respondent.objects.filter(
                cycle=cycle, school_id=request.user.school_id, tag=tag
            ).first()
        )
        if respondent:
            # The wrong-tag counts stay: only time clears them.
            request.session.cycle_key()
            request.session[SESSION_KEY] = respondent.pk
            answering.respondent_seen(respondent=respondent)
            return redirect(_next_domain_path(request) or reverse("surveys:domains"))
        rosters.tag_failure_record(**guard)
        form.add_error(
            "tag_number",
            _("This tag number is not on your school's list. Check your slip and type it again."),
        )
        wait = rosters.tag_wait(**guard)
        if wait:
            context["wait_message"] = _wait_message(wait)
    return render(
        request,
        "surveys/choose.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@_respondent_or_choose
def switch_respondent(request, respondent):
    """End this respondent's turn so another can enter their tag."""
    request.session.pop(SESSION_KEY, None)
    return redirect("surveys:choose_respondent")


def _domain_list(spec, respondent, lang, answered=None):
    """Return the respondent's domains: done or not, and how many mandatory are answered.

    ``answered`` (the codes with an answer) is read from the database unless given.
    """
    done = set(respondent.completed_domains or [])
    if answered is None:
        answered = set(
            Answer.objects.filter(respondent=respondent).values_list("question", flat=True)
        )
    items = []
    for d in spec.domains_for(respondent.category):
        progress = domain_progress(spec.questions_in(d.code, respondent.category), answered)
        items.append(
            {
                "code": d.code,
                "name": d.name_in(lang),
                "complete": d.code in done,
                "url": reverse("surveys:domain", args=[d.code]),
                **progress,
            }
        )
    return items


@_respondent_or_choose
def domains(request, respondent):
    """The respondent's domains: red until done, green when done."""
    spec = respondent.cycle.instrument.spec
    domain_list = _domain_list(spec, respondent, get_language())
    return render(
        request,
        "surveys/domains.html",
        {
            "respondent": respondent,
            "domains": domain_list,
            "all_done": all(d["complete"] for d in domain_list),
            "window": selectors.window_state(cycle=respondent.cycle, school=respondent.school),
        },
    )


def _save_json(*, status, result, form, domain_list, message, http_status=200):
    """The answer to a background save: what the page needs to show where it stands."""
    return JsonResponse(
        {
            "status": status,
            "message": message,
            "complete": form["complete"],
            "errors": result.cleaned.errors if result is not None else {},
            "unknown": result.cleaned.unknown if result is not None else [],
            # What the form now shows, as stored: the page's next "_initial".
            "shown": result.cleaned.values if result is not None and result.is_valid else None,
            "missing": [
                {"code": q["code"], "text": q["text"]} for q in form["questions"] if q["missing"]
            ],
            "progress": form["progress"],
            "domains": [
                {
                    **{k: d[k] for k in ("code", "complete", "answered", "mandatory")},
                    "progress_text": _("%(a)s of %(m)s")
                    % {"a": d["answered"], "m": d["mandatory"]},
                }
                for d in domain_list
            ],
        },
        status=http_status,
    )


def _saved_message(complete: bool) -> str:
    if complete:
        return _("Saved. This domain is complete.")
    return _("Saved. Answer every question marked * to complete this domain.")


@require_http_methods(["GET", "POST"])
@_respondent_or_choose
def domain(request, respondent, code):
    """One domain's questions: saved in the background by the page's script, or a plain POST.

    A background save (header ``X-Autosave: 1``) is answered in JSON; an htmx
    one with the form's partial; a plain POST with a redirect.
    """
    spec = respondent.cycle.instrument.spec
    domain_spec = spec.domain(code)
    questions = spec.questions_in(code, respondent.category) if domain_spec else []
    if not questions or domain_spec.is_profile:
        raise Http404(_("No such domain for you."))
    autosave = request.headers.get("X-Autosave") == "1"
    window = selectors.window_state(cycle=respondent.cycle, school=respondent.school)
    posted, result, status, refused = None, None, 200, ""
    if request.method == "POST":
        try:
            result = answering.domain_save(
                respondent=respondent, domain_code=code, post=request.POST
            )
        except PermissionDenied as exc:
            refused = str(exc)
            if not (request.htmx or autosave):
                messages.error(request, refused)
                return redirect("surveys:domain", code=code)
            if not autosave:
                messages.error(request, refused)
            posted, status = request.POST, 403
        else:
            if not result.is_valid:
                posted, status = request.POST, 400
            elif not (request.htmx or autosave):
                if result.domain_complete:
                    messages.success(request, _saved_message(True))
                else:
                    messages.warning(request, _saved_message(False))
                return redirect("surveys:domain", code=code)
    all_answers = dict(
        Answer.objects.filter(respondent=respondent).values_list("question", "value")
    )
    answers = {q.code: all_answers[q.code] for q in questions if q.code in all_answers}
    lang = get_language()
    domain_list = _domain_list(
        spec, respondent, lang, {k for k, v in all_answers.items() if v not in (None, "", [])}
    )
    form = domain_view(spec, domain_spec, questions, answers, posted, result, lang)
    if autosave:
        if status == 403:
            return _save_json(
                status="refused",
                result=None,
                form=form,
                domain_list=domain_list,
                message=refused,
                http_status=403,
            )
        if status == 400:
            return _save_json(
                status="invalid",
                result=result,
                form=form,
                domain_list=domain_list,
                message=_("Not saved: correct the answers marked in red."),
                http_status=400,
            )
        return _save_json(
            status="saved",
            result=result,
            form=form,
            domain_list=domain_list,
            message=_saved_message(form["complete"]),
        )
    position = [d["code"] for d in domain_list].index(code)
    context = {
        "respondent": respondent,
        "domains": domain_list,
        "window": window,
        "domain": domain_spec,
        "domain_name": domain_spec.name_in(lang),
        "form": form,
        "saved": result is not None and result.is_valid,
        "complete": code in (respondent.completed_domains or []),
        "next_domain": domain_list[position + 1] if position + 1 < len(domain_list) else None,
        "all_done": all(d["complete"] for d in domain_list),
    }
    template = "surveys/domain.html"
    if request.htmx and request.method == "POST":
        template += "#htmx-response"
    return render(request, template, context, status=status)


@_respondent_or_choose
def respondent_form(request, respondent):
    """The respondent's filled form (PDF), once every domain is green."""
    spec = respondent.cycle.instrument.spec
    if len(respondent.completed_domains or []) < len(spec.domains_for(respondent.category)):
        messages.error(request, _("Finish every domain (all green) before printing your form."))
        return redirect("surveys:domains")
    answers = dict(Answer.objects.filter(respondent=respondent).values_list("question", "value"))
    return document_response(
        pdfs.respondent_form(
            respondent=respondent, answers=answers, lang=get_language(), request=request
        )
    )
