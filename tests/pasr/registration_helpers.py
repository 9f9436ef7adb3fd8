"""What the registration and board tests share: a PASR day, a valid form, an eligible birth."""

import datetime

import pytest

Y = 2027
MARCH_10 = datetime.date(Y, 3, 10)
APRIL_10 = datetime.date(Y, 4, 10)


def form_data(number="140315101234", **changes):
    """A registration form every rule accepts at a PPKI school in March of Y."""
    data = {
        "name": "Nur Aisyah binti Ahmad",
        "id_number": f"{number[:6]}-{number[6:8]}-{number[8:]}",
        "date_of_birth": f"{Y - 13}-03-15",
        "class_name": "6 Bestari",
        "programme": "ppki",
        "curriculum": "kssr_pk_mp",
        "tahap": "2",
        "final_year": "yes",
        "medical": "oku_card",
        "mainstream_exam": "no",
        "kh_component": "masakan",
        "private_candidate": "no",
    }
    data.update(changes)
    return data


def set_today(monkeypatch, day):
    monkeypatch.setattr("pasr.calendar.today", lambda: day)


@pytest.fixture
def pasr_world(world, monkeypatch, client, settings):
    """The shared world in March of Y, school A with a PPKI programme; announcements recorded.

    The client reads English (the tests quote the English messages, Malay is the default).
    """
    from pasr import events

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    set_today(monkeypatch, MARCH_10)
    world.a.has_ppki = True
    world.a.save(update_fields=["has_ppki"])
    world.announced = []
    announce = [lambda school_id, year: world.announced.append((school_id, year))]
    monkeypatch.setattr(events, "SCHOOL_CHANGED", announce)
    return world


# --- for the permission matrix and the hostile-input walk (real today) ---

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def this_year() -> int:
    from pasr import calendar

    return calendar.today().year


def pasr_open(w):
    """School A has a PPKI programme and this year's registration is open all year."""
    from pasr.services.calendar import window_set

    year = this_year()
    w.a.has_ppki = True
    w.a.save(update_fields=["has_ppki"])
    window_set(year=year, window="registration", opens=datetime.date(year, 1, 1),
               closes=datetime.date(year, 12, 31), reason="matrix")  # fmt: skip


def pasr_release(w):
    """School A runs PASR and the board published this year's ProKhas 1 document."""
    from django.core.files.base import ContentFile

    from pasr.services.registration import instrument_publish

    pasr_open(w)
    w.pasr_release = instrument_publish(
        year=this_year(), instrument="prokhas1", title="ProKhas 1",
        upload=ContentFile(PDF, name="p.pdf"), by=None,
    )  # fmt: skip


def pasr_downloaded(w):
    from pasr.services.registration import instrument_download

    pasr_release(w)
    instrument_download(school=w.a, release=w.pasr_release, by=w.users["exam_sec_a"])


def pasr_request(w):
    """A pending request of school A to override the age rule."""
    from pasr.models import OverrideRequest

    pasr_open(w)
    data = pasr_late_form(w)
    data.pop("note")
    data["id_number"] = "120101101234"
    w.pasr_request = OverrideRequest.objects.create(
        year=this_year(), school=w.a, id_number="120101101234", name=data["name"], data=data,
        failed=["age"], note="Lewat", requested_by=w.users["exam_sec_a"],
    )  # fmt: skip


def hostile_pasr(w):
    pasr_downloaded(w)
    pasr_request(w)


def pasr_form(w):
    year = this_year()
    return {**form_data(number="130202105555"), "date_of_birth": f"{year - 13}-02-02"}


def pasr_late_form(w):
    year = this_year()
    return {**form_data(number="110101107777"), "date_of_birth": f"{year - 15}-01-01",
            "note": "Lewat didiagnosis"}  # fmt: skip


def pasr_upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    row = pasr_form(w)
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    return {"file": SimpleUploadedFile("calon.csv", text.encode(), "text/csv")}


def pdf_upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"instrument": "prokhas2", "title": "ProKhas 2",
            "document": SimpleUploadedFile("p2.pdf", PDF, "application/pdf")}  # fmt: skip


def pasr_window_data(w):
    year = this_year()
    return {"window": "registration", "opens": f"{year}-04-01", "closes": f"{year}-04-20",
            "reason": "Dibuka semula"}  # fmt: skip


def pasr_due_data(w):
    return {"due": f"{this_year()}-12-15", "reason": "Jadual"}


def pasr_candidates(w):
    from pasr.models import Candidate

    return sorted(Candidate.objects.values_list("id_number", "school__code", "override_reason"))


def pasr_requests(w):
    from pasr.models import OverrideRequest

    return sorted(OverrideRequest.objects.values_list("id_number", "state", "reason"))


def pasr_declared(w):
    from pasr.models import SchoolYear

    return sorted(SchoolYear.objects.values_list("school__code", "partial_inclusive"))


def pasr_declared_a(w):
    """School A declared partial inclusive education this year, with no candidate yet."""
    from pasr import calendar
    from pasr.services.registration import inclusive_declare

    # The year the page acts on when the address names none.
    inclusive_declare(school=w.a, year=calendar.year_from(None), by=w.users["head_a"])


def pasr_checks(w):
    from pasr.models import InstrumentCheck

    return sorted(
        InstrumentCheck.objects.values_list(
            "school__code", "downloaded_by__username", "downloaded_at", "verified_by__username"
        )
    )


def pasr_changes(w):
    from pasr.models import AssessmentYear, WindowChange

    return (
        sorted(WindowChange.objects.values_list("window", "opens_on", "closes_on", "reason")),
        list(AssessmentYear.objects.values_list("results_due", flat=True)),
    )


def pasr_releases(w):
    from pasr.models import InstrumentRelease

    return sorted(InstrumentRelease.objects.values_list("instrument", "sha256"))
