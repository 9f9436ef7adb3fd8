"""Reminders: the e-mail a district sends to schools that have not started, kept as a record."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from .models import Reminder


def reminder_message(*, cycle, school, by, base_url: str) -> tuple[str, str]:
    """Return the (subject, body) of the reminder to one school, in the portal's language.

    The body names the school and the closing date, links to the portal's
    login page and is signed with the officer's name, office and e-mail.
    """
    from django.urls import reverse
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SSQS %(year)s: %(code)s has not started yet") % {
            "year": cycle.year,
            "code": school.code,
        }
        signature = "\n".join(
            line
            for line in (
                by.get_full_name() or by.username,
                _("Officer, %(office)s") % {"office": by.scope_label()},
                by.email,
                _("SSQS Portal, Ministry of Education Malaysia"),
            )
            if line
        )
        body = _(
            "To the ICT coordinator of %(name)s (%(code)s),\n\n"
            "No respondent of your school has started SSQS %(year)s yet. Filling closes on "
            "%(closes)s.\n\n"
            "Please log in to the SSQS Portal at %(url)s with your school code, print the "
            "respondent slips from Maklumat Responden and hand them out, so that every "
            "respondent can finish before the closing date.\n\n"
            "Thank you.\n\n%(signature)s"
        ) % {
            "name": school.name,
            "code": school.code,
            "year": cycle.year,
            "closes": date_format(cycle.closes_on, "j F Y"),
            "url": base_url.rstrip("/") + reverse("accounts:login"),
            "signature": signature,
        }
    return subject, body


def reminder_recipients(schools) -> dict:
    """Return {school id: [addresses]}: the school's own and its coordinator's, if any."""
    from django.contrib.auth import get_user_model

    coordinators = dict(
        get_user_model()
        .objects.filter(role="coordinator", school__in=schools)
        .exclude(email="")
        .values_list("school_id", "email")
    )
    out = {}
    for school in schools:
        to = list(dict.fromkeys(a for a in (school.email, coordinators.get(school.pk)) if a))
        if to:
            out[school.pk] = to
    return out


def reminders_send(*, cycle, schools, by, base_url: str | None = None) -> int:
    """E-mail each not-started school (its address and its coordinator); record each one."""
    base_url = base_url or settings.PORTAL_BASE_URL
    recipients = reminder_recipients(schools)
    messages, records = [], []
    for school in schools:
        to = recipients.get(school.pk)
        if not to:
            continue
        subject, body = reminder_message(cycle=cycle, school=school, by=by, base_url=base_url)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))
        records.append(Reminder(cycle=cycle, school=school, to=", ".join(to), by=by))
    send_mass_mail(messages, fail_silently=False)
    Reminder.objects.bulk_create(records)
    return len(records)
