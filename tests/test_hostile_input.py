"""Hostile input never answers 500: every URL, every form field, every GET filter.

The walk: every named URL of the URL conf (a test below fails when a new one is
not listed here), opened as a persona that may use it. Each GET page is parsed
for its forms; every field of every form (one of each shape: `name-12` and
`name-13` are one shape) is sent with each value of BAD_VALUES in place of a
sensible one, to the form's own action, by its own method; so are the page's
known GET filters, a duplicated field, a missing field, a JSON body and an
empty body. Path parameters get hostile values too. Whatever the portal
answers, it is never a server error: a 4xx with a message, a redirect, or the
page again with the mistake named.

Admin pages are Django's own and are not walked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from tests.pasr.registration_helpers import form_data as pasr_form_data
from tests.pasr.registration_helpers import hostile_pasr

BAD_VALUES = [
    "",
    " ",
    "x" * 140_000,  # over csv's field limit and any column we have
    "\x00",
    "ab\x00cd",
    "²",  # Unicode digits: str.isdigit() is true, int() refuses
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "-1",
    "0",
    "2147483648",  # 2^31: one past PostgreSQL's integer
    "99999999999999999999999",
    "1.5",
    "1e309",
    "NaN",
    "null",
    "[]",
    '{"a": 1}',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "2026-02-30",
    "9999-12-31",
    '=HYPERLINK("http://x","y")',
]

# Hostile ids inside a field's name (`name-12` becomes `name-²`).
BAD_IDS = ["²", "1.5", "-1", "99999999999999999999", "", "\x00"]

# Hostile values for a `<str:...>` part of a path (the `int` converter lets digits only).
BAD_PATH_VALUES = ["\x00", "²", "x" * 2000, "%2e%2e", "ZZZ9999", "1 OR 1=1", "-1"]

# Django's own pages: not ours to walk.
SKIPPED_URL_NAMES = {"set_language", "javascript-catalog"}


def url_names() -> set[str]:
    """Return every named URL of the URL conf, admin left out, as `namespace:name`."""
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names - SKIPPED_URL_NAMES


# ----------------------------------------------------------------------------
# Forms on a page


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, value
    multipart: bool = False


class FormParser(HTMLParser):
    """Collect each form's method, action and fields, with a sensible value for each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(),
                action=a.get("action", ""),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                # Submit buttons with a name tell the view which act it is.
                self._form.fields.append((a["name"], "submit", a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if not any(n == a["name"] for n, _, _ in self._form.fields):
                    self._form.fields.append((a["name"], kind, a.get("value", "on")))
            else:
                self._form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form.fields.append((a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = a["name"], None
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select, "select", self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "textarea", self._text))
            self._textarea = None


class _OptionAware(FormParser):
    """Take a select's first non-empty option as its sensible value."""

    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None and self._select_value is None:
            value = dict(attrs).get("value")
            if value:
                self._select_value = value
            return
        super().handle_starttag(tag, attrs)


def forms_of(html: str) -> list[Form]:
    parser = _OptionAware()
    parser.feed(html)
    return parser.forms


def shape(name: str) -> str:
    return re.sub(r"\d+", "#", name)


def one_of_each_shape(fields):
    seen, kept = set(), []
    for name, kind, value in fields:
        if kind == "submit" or name == "csrfmiddlewaretoken":
            continue
        if shape(name) not in seen:
            seen.add(shape(name))
            kept.append((name, kind, value))
    return kept


def base_data(form: Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, kind, value in form.fields:
        if name == "csrfmiddlewaretoken" or kind == "file":
            continue
        if kind == "submit":
            data.setdefault(name, [value])
            continue
        data.setdefault(name, []).append(value)
    return data


# ----------------------------------------------------------------------------
# The world and who opens what


@pytest.fixture
def hostile_world(world, real_cycle, settings):
    """The permission matrix's world, with a PIBK register, a chosen respondent, a batch."""
    from monitoring.models import CertificateBatch
    from pibk.models import Family, Pupil
    from pibk.services import school_year_ensure, today
    from surveys.models import Respondent

    settings.AXES_ENABLED = False
    w = world
    w.school_year = school_year_ensure(school=w.a, year=today().year)
    w.family = Family.objects.create(school_year=w.school_year, key="K1", guardian="Aminah")
    w.pupil = Pupil.objects.create(family=w.family, name="Ali", year_group="1", sports=True)
    w.respondent = Respondent.objects.filter(cycle=real_cycle, school=w.a).first()
    w.batch = CertificateBatch.objects.create(
        cycle=real_cycle, district=w.d1, requested_by=w.users["officer_d1"]
    )
    # skills
    _skills_hostile_world(w)
    _skills_training_hostile_world(w)
    # PASR registration: a published document downloaded at A, a request to the board.
    hostile_pasr(w)
    # PASR reports: a rated candidate of A with a class.
    w.pasr_reported = _pasr_reported(w)
    return w


def _pasr_reported(w):
    """A PASR candidate of school A this year, rated, with a class (reports, analyses)."""
    from pasr.calendar import today
    from tests.pasr.factories_reports import candidate, rate_all

    found = candidate(w.a, year=today().year, class_name="6A")
    rate_all(found, "kompeten", by=w.users["pasr_teacher_a"])
    return found


def _skills_hostile_world(w):
    """A centre with an accreditation, its administrator and the body's officer (skills)."""
    from skills.models import Accreditation, Centre, CompetencyUnit, Sector, Standard
    from tests.factories import person

    sector = Sector.objects.create(code="IT", name_ms="Teknologi Maklumat", name_en="IT")
    w.sk_standard = Standard.objects.create(
        code="IT-010-3:2016", title_ms="Perisian", title_en="Software", sector=sector, level=3
    )
    CompetencyUnit.objects.create(standard=w.sk_standard, code="IT-010-3:2016-C01",
                                  title_ms="Unit", title_en="Unit", hours=40)  # fmt: skip
    w.sk_centre = Centre.objects.create(code="PB-H001", name="Pusat Hostil")
    w.sk_accreditation = Accreditation.objects.create(centre=w.sk_centre, standard=w.sk_standard)
    w.users["sk_centre_admin"] = person("admin.pbh", roles=[("centre_admin", w.sk_centre)])
    w.users["sk_cert_officer"] = person("pegawai.jpk.h", roles=[("certification_officer", "JPK")])


def _skills_training_hostile_world(w):
    """Training at the skills centre (sk-train): an approved accreditation, three intakes.

    An open intake with two trainees, one to submit, one submitted and assessed
    and assigned to the verifier; the centre's assessor, the verifier, a trainee.
    """
    import datetime

    from django.utils import timezone

    from skills.models import Accreditation, Enrolment, Intake, Result, Trainee
    from tests.factories import person

    today = timezone.localdate()
    approved = Accreditation.objects.create(
        centre=w.sk_centre, standard=w.sk_standard, state="approved",
        valid_from=today - datetime.timedelta(days=365),
        expires_on=today + datetime.timedelta(days=365),
    )  # fmt: skip
    w.sk_approved = approved
    w.users["sk_assessor"] = person("pp.h", roles=[("assessor", w.sk_centre)])
    w.users["sk_verifier"] = person("ppl.h", roles=[("verifier", "JPK")])
    # Serving needs an approval in force for the standard (Modul Personel).
    from tests.skills.training_factories import approve_personnel

    approve_personnel(w.users["sk_assessor"], "pp", w.sk_standard)
    approve_personnel(w.users["sk_verifier"], "ppl", w.sk_standard)
    w.users["sk_trainee"] = person("pelatih.h")
    start = today - datetime.timedelta(days=30)

    def intake(code, state="open", verifier=None):
        return Intake.objects.create(
            centre=w.sk_centre, accreditation=approved, code=code, starts_on=start,
            ends_on=start + datetime.timedelta(days=90), state=state, verifier=verifier,
        )  # fmt: skip

    w.sk_open, w.sk_to_submit = intake("BUKA"), intake("HANTAR")
    w.sk_submitted = intake("SEMAK", "submitted", w.users["sk_verifier"])
    unit = w.sk_standard.units.get()
    for i, target in enumerate([w.sk_open, w.sk_open, w.sk_to_submit, w.sk_submitted]):
        trainee = Trainee.objects.create(
            id_number=f"01010110{i:04d}", name=f"Pelatih {i}",
            user=w.users["sk_trainee"] if i == 0 else None,
        )  # fmt: skip
        enrolment = Enrolment.objects.create(intake=target, trainee=trainee)
        if target == w.sk_submitted:
            Result.objects.create(enrolment=enrolment, unit=unit, outcome="competent",
                                  assessed_on=today, assessor=w.users["sk_assessor"])  # fmt: skip


def skills_training_routes(w):
    """Skills training's URLs (sk-train): the centre's intakes, the PPL's, the trainee's page."""
    c = w.sk_centre.code
    open_, submit = {"code": c, "pk": w.sk_open.pk}, {"code": c, "pk": w.sk_to_submit.pk}
    return {
        "skills:intakes": ("sk_centre_admin", {"code": c}, []),
        "skills:intake_new": ("sk_centre_admin", {"code": c}, []),
        "skills:intake": ("sk_centre_admin", open_, []),
        "skills:intake_register": ("sk_centre_admin", open_, []),
        "skills:intake_import": ("sk_centre_admin", open_, []),
        "skills:intake_submit": ("sk_centre_admin", submit, []),
        "skills:results": ("sk_assessor", open_, ["trainee"]),
        "skills:intake_assign": ("sk_cert_officer", open_, []),
        "skills:verifications": ("sk_verifier", {}, []),
        "skills:verify": ("sk_verifier", {"pk": w.sk_submitted.pk}, []),
        "skills:me": ("sk_trainee", {}, []),
    }


# Each named URL: the persona that may use it and the path's keyword arguments.
# A `None` persona is anonymous. GET filters the page does not show as a form
# are listed too.
def routes(w):
    a, d1 = w.a.code, w.d1.code
    district = {"level": "district", "code": d1}
    return {
        "home": ("coord_a", {}, []),
        "health": (None, {}, []),
        "favicon": (None, {}, []),
        "accounts:login": (None, {}, ["next"]),
        "accounts:logout": ("coord_a", {}, []),
        "accounts:password_change": ("coord_a", {}, []),
        "schools:mydesktop": ("coord_a", {}, []),
        "schools:list": ("officer_s1", {}, ["q", "district", "level", "page", "sort"]),
        "schools:detail": ("officer_d1", {"code": a}, []),
        "surveys:profile": ("coord_a", {}, []),
        "surveys:roster": ("coord_a", {}, []),
        "surveys:respondent_password": ("coord_a", {}, []),
        "surveys:slips": ("coord_a", {}, []),
        "surveys:result": ("officer_d1", {"code": a}, ["year", "cycle"]),
        "surveys:certificate": ("officer_d1", {"code": a}, ["year"]),
        "surveys:reopen": ("officer_d1", {"code": a}, []),
        "surveys:submit": ("coord_a", {"code": a}, []),
        "surveys:choose_respondent": ("resp_a", {}, []),
        "surveys:switch_respondent": ("resp_chosen", {}, []),
        "surveys:domains": ("resp_chosen", {}, []),
        "surveys:domain": ("resp_chosen", {"code": "U1"}, []),
        "surveys:respondent_form": ("resp_chosen", {}, []),
        "monitoring:home": ("officer_d1", {}, []),
        "monitoring:results": ("officer_d1", {}, []),
        "monitoring:review": ("officer_d1", {"code": a}, []),
        "monitoring:certificates": ("officer_d1", {"pk": w.batch.pk}, []),
        "monitoring:certificates_download": ("officer_d1", {"pk": w.batch.pk}, []),
        "monitoring:certificates_request": ("officer_d1", {"code": d1}, []),
        "monitoring:certificates_restart": ("officer_d1", {"pk": w.batch.pk}, []),
        "monitoring:dashboard": ("officer_d1", district, ["year", "cycle"]),
        "monitoring:map": ("officer_d1", district, ["year", "cycle"]),
        "monitoring:schools": (
            "officer_d1",
            district,
            ["q", "type", "level", "small", "status", "stars", "sort", "page", "format"],
        ),
        "monitoring:report": ("officer_d1", district, ["year", "cycle"]),
        "monitoring:respondents_export": ("officer_d1", district, ["year", "cycle"]),
        "monitoring:remind": ("officer_d1", district, []),
        "pibk:home": ("coord_a", {}, ["year"]),
        "pasr:home": ("exam_sec_a", {}, []),
        "pasr:school": ("head_a", {"code": a}, ["year"]),
        "pibk:school": ("officer_d1", {"code": a}, ["year"]),
        "pibk:report": ("officer_d1", {"code": a}, ["year"]),
        "pibk:review": ("officer_d1", {"code": a}, ["year"]),
        "pibk:reopen": ("officer_d1", {"code": a}, ["year"]),
        "pibk:submit": ("coord_a", {"code": a}, ["year"]),
        "pibk:register": ("coord_a", {}, ["year"]),
        "pibk:register_template": ("coord_a", {}, []),
        "pibk:pupils": ("coord_a", {}, ["q", "page", "year"]),
        "pibk:pupil_flag": ("coord_a", {"pupil_id": w.pupil.pk, "flag": "sports"}, []),
        "pibk:attendance": ("coord_a", {"activity_code": "C"}, ["q", "page", "year"]),
        "pibk:activity_date": ("coord_a", {"activity_code": "C"}, []),
        "pibk:attendance_tick": (
            "coord_a",
            {"activity_code": "C", "family_id": w.family.pk},
            [],
        ),
        "pibk:volunteers": ("coord_a", {}, ["q", "page", "year"]),
        "pibk:volunteer_tick": ("coord_a", {"family_id": w.family.pk}, []),
        "pibk:counts": ("coord_a", {}, ["year"]),
        "pibk:targets": ("national", {}, ["year"]),
        "audit:school_history": ("officer_d1", {"code": a}, ["part", "page"]),
        "pibk:officer_home": ("officer_d1", {}, ["year"]),
        "pibk:dashboard": ("officer_d1", district, ["year"]),
        "pibk:schools": (
            "officer_d1",
            district,
            ["q", "level", "average", "verified", "entry", "sort", "page", "format", "year"],
        ),
        "people:staff": ("head_a", {}, []),
        "people:staff_role": ("head_a", {"user_id": w.users["exam_sec_a"].pk}, []),
        "people:staff_password": ("head_a", {"user_id": w.users["exam_sec_a"].pk}, []),
        # PASR reports (issue 15)
        "pasr:report": ("head_a", {"code": a, "pk": w.pasr_reported.pk}, []),
        "pasr:class_report": ("pasr_teacher_a", {"code": a}, ["year", "kelas"]),
        "pasr:analysis": ("officer_d1", {"code": a}, ["year", "format"]),
        "pasr:qa": ("head_a", {"code": a}, ["year"]),
        "pasr:dashboard": ("officer_d1", {}, []),
        "pasr:node": ("officer_d1", district, ["year"]),
        "pasr:schools": (
            "officer_d1",
            district,
            ["q", "level", "runs", "registered", "results", "sort", "page", "format", "year"],
        ),
        # skills: the NOSS registry and accreditation (sk-acc)
        "skills:home": ("sk_centre_admin", {}, []),
        "skills:standards": (None, {}, ["q", "sector", "level", "page"]),
        "skills:standard": (None, {"code": w.sk_standard.code}, []),
        "skills:centre": ("sk_centre_admin", {"code": w.sk_centre.code}, []),
        "skills:apply": ("sk_centre_admin", {"code": w.sk_centre.code}, ["standard"]),
        "skills:accreditations": ("sk_cert_officer", {}, ["state", "expiring", "q", "page"]),
        "skills:accreditation": ("sk_cert_officer", {"pk": w.sk_accreditation.pk}, []),
        # PASR registration (issue 15)
        "pasr:register": ("exam_sec_a", {"code": a}, ["year"]),
        "pasr:override_ask": ("exam_sec_a", {"code": a}, []),
        "pasr:import": ("exam_sec_a", {"code": a}, ["year"]),
        "pasr:import_template": ("exam_sec_a", {"code": a}, ["year"]),
        "pasr:candidates": ("exam_sec_a", {"code": a}, ["year"]),
        "pasr:declare": ("head_a", {"code": a}, []),
        "pasr:undeclare": ("head_a", {"code": a}, []),
        "pasr:instrument_download": ("exam_sec_a", {"code": a, "pk": w.pasr_release.pk}, []),
        "pasr:instrument_verify": ("head_a", {"code": a, "pk": w.pasr_release.pk}, []),
        "pasr:board": ("lp_officer", {}, ["year"]),
        "pasr:board_window": ("lp_officer", {}, []),
        "pasr:board_results_due": ("lp_officer", {}, []),
        "pasr:board_instrument": ("lp_officer", {}, []),
        "pasr:override_decide": ("lp_officer", {"pk": w.pasr_request.pk}, []),
        # PASR results (issue 15)
        **_pasr_results_routes(w),
        # skills: training (sk-train)
        **skills_training_routes(w),
        # SPMI (issue 18)
        **_spmi_routes(w),
        # the read API (issue 19), with a national key, and its keys' pages
        **_api_routes(w),
        # skills: complaints (Modul Aduan, issue 17)
        **_complaint_routes(w),
        # skills: PPT, recognition of prior achievement (issue 17)
        **_ppt_routes(w),
        # skills: the centre star rating (rating)
        **_skills_rating_routes(w),
        # skills: facilities self-declared and checked (Kemudahan)
        **_skills_facility_routes(w),
    }


def _ppt_routes(w):
    """PPT's pages on the hostile skills centre: an application submitted with one file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from skills.services import ppt

    if not hasattr(w, "sk_ppt"):
        admin, today = w.users["sk_centre_admin"], timezone.localdate()
        w.sk_ppt = ppt.ppt_apply(
            centre=w.sk_centre, accreditation=w.sk_approved, id_number="800101105555",
            name="Pemohon Hostil", mode="full", unit_ids=(), channel="centre",
            experience="Kerja 5 tahun", years=5, by=admin, today=today,
        )  # fmt: skip
        w.sk_ppt_file = ppt.evidence_add(
            application=w.sk_ppt, unit_id=w.sk_standard.units.get().pk,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"), description="", by=admin,
        )  # fmt: skip
        w.sk_ppt = ppt.ppt_submit(application=w.sk_ppt, by=admin, today=today)
    app = {"code": w.sk_centre.code, "pk": w.sk_ppt.pk}
    return {
        "skills:ppt_desk": ("sk_cert_officer", {}, ["stage", "q", "page"]),
        "skills:ppt_list": ("sk_centre_admin", {"code": w.sk_centre.code}, ["stage", "q", "page"]),
        "skills:ppt_new": ("sk_centre_admin", {"code": w.sk_centre.code}, []),
        "skills:ppt": ("sk_centre_admin", app, []),
        "skills:ppt_evidence": ("sk_centre_admin", app, []),
        "skills:ppt_evidence_remove": ("sk_centre_admin", {**app, "evidence": w.sk_ppt_file.pk},
                                       []),
        "skills:ppt_evidence_file": ("sk_centre_admin", {"pk": w.sk_ppt_file.pk}, []),
        "skills:ppt_submit": ("sk_centre_admin", app, []),
        "skills:ppt_judge": ("sk_assessor", app, []),
        "skills:ppt_withdraw": ("sk_centre_admin", app, []),
        "skills:ppt_certify": ("sk_cert_officer", app, []),
    }  # fmt: skip


def _complaint_routes(w):
    """Complaints' URLs: the public form and lookup, the body's list, a complaint and its acts."""
    from skills.services.complaints import complaint_file

    if not hasattr(w, "sk_complaint"):
        w.sk_complaint = complaint_file(
            category="centre", centre=w.sk_centre, subject="Bengkel ditutup",
            description="Bengkel ditutup semasa waktu latihan.", name="Rahimah",
            email="rahimah@example.my",
        )  # fmt: skip
    pk = {"pk": w.sk_complaint.pk}
    return {
        "skills:complaint_new": (None, {}, []),
        "skills:complaint_thanks": (None, {}, []),
        "skills:complaint_lookup": (None, {}, ["no"]),
        "skills:complaints": (
            "sk_cert_officer",
            {},
            ["status", "category", "centre", "overdue", "page"],
        ),  # fmt: skip
        "skills:complaint": ("sk_cert_officer", pk, []),
        "skills:complaint_act": ("sk_cert_officer", pk, []),
        # skills: personnel (Modul Personel)
        **_personnel_routes(w),
    }


def _personnel_routes(w):
    """Personnel's pages: the assessor's own page, application (with a file) and renewal, the
    body's desk and acts."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from skills.models import PersonnelApproval
    from skills.services.personnel import personnel_apply

    if not hasattr(w, "sk_personnel"):
        w.sk_personnel = personnel_apply(
            applicant=w.users["sk_verifier"], role="pp", standard_codes=[w.sk_standard.code],
            sector=w.sk_standard.sector, held_level=3, industry_years=5, pp_years=0,
            qualifications="SKM 3", uploads=[SimpleUploadedFile("s.pdf", b"%PDF-1.4\nx")],
        )  # fmt: skip
    pending = w.sk_personnel.approvals.get()
    own = PersonnelApproval.objects.get(person=w.users["sk_assessor"])
    application = {"pk": w.sk_personnel.pk}
    return {
        "skills:personnel_mine": ("sk_assessor", {}, []),
        "skills:personnel_apply": ("sk_assessor", {}, ["standard"]),
        "skills:personnel_renew": ("sk_assessor", {"pk": own.pk}, []),
        "skills:personnel_desk": ("sk_cert_officer", {}, ["standard", "role"]),
        "skills:personnel_application": ("sk_cert_officer", application, []),
        "skills:personnel_evidence": (
            "sk_verifier",
            {**application, "file_pk": w.sk_personnel.evidence.get().pk},
            [],
        ),  # fmt: skip
        "skills:personnel_act": ("sk_cert_officer", {"pk": pending.pk}, []),
    }


def _skills_rating_routes(w):
    """The centre star rating's pages (rating), on the hostile skills centre."""
    code = {"code": w.sk_centre.code}
    return {
        "skills:centre_rating": ("sk_centre_admin", code, ["year"]),
        "skills:ratings": ("sk_cert_officer", {}, ["year", "stars", "state", "q", "sort",
                                                   "format", "page"]),
        "skills:rating_criteria": (None, {}, []),
        "skills:rating_upload": ("sk_cert_officer", {}, []),
        "skills:public_centre": (None, code, []),
    }  # fmt: skip


def _skills_facility_routes(w):
    """Facilities (Kemudahan): the hostile centre's page and its declaration (awaiting the
    body's check), the body's queue and check, the checklist and its upload."""
    from skills.services.facilities import facilities_declare
    from tests.skills.facility_helpers import answers

    if not hasattr(w, "sk_declaration"):
        from django.utils import timezone

        w.sk_declaration = facilities_declare(
            centre=w.sk_centre, year=timezone.localdate().year, answers=answers(),
            by=w.users["sk_centre_admin"],
        )  # fmt: skip
    code = {"code": w.sk_centre.code}
    return {
        "skills:facilities": ("sk_centre_admin", code, ["year"]),
        "skills:facilities_declare": ("sk_centre_admin", code, []),
        "skills:facility_declarations": ("sk_cert_officer", {}, ["state", "year", "q", "page"]),
        "skills:facility_check": ("sk_cert_officer", {"pk": w.sk_declaration.pk}, []),
        "skills:facility_checklist": (None, {}, []),
        "skills:facility_checklist_upload": ("sk_cert_officer", {}, []),
    }


def _spmi_routes(w):
    """SPMI's URLs, on school A's cycle in steps 3-4 with one action, and its quality team."""
    from tests.spmi.factories import criterion_pk, evidence_file, quality_team, spmi_cycle

    quality_team(w)
    spmi_cycle(w)
    a, year = w.a.code, ["year"]
    return {
        "spmi:home": ("quality_team_a", {}, []),
        "spmi:school": ("quality_team_a", {"code": a}, year),
        "spmi:open": ("quality_team_a", {"code": a}, year),
        "spmi:rate": ("quality_team_a", {"code": a, "pk": criterion_pk(w)}, year),
        "spmi:finish": ("quality_team_a", {"code": a}, year),
        "spmi:plan": ("quality_team_a", {"code": a}, year),
        "spmi:approve": ("head_a", {"code": a}, year),
        "spmi:plan_pdf": ("head_a", {"code": a}, year),
        "spmi:action": ("quality_team_a", {"code": a, "pk": w.spmi_action.pk}, []),
        "spmi:roll_over": ("head_a", {"code": a}, year),
        "spmi:standards": ("head_a", {}, ["v", "from", "to"]),
        "spmi:standards_upload": ("national", {}, []),
        "spmi:follow": ("officer_d1", {}, ["year", "overdue", "page"]),
        "spmi:node": ("officer_d1", {"level": "district", "code": w.d1.code}, year),
        "spmi:open_national": ("national", {}, []),
        "spmi:model_mark": ("officer_d1", {"code": a}, year),
        "spmi:examples": ("head_a", {}, year),
        "spmi:submit": ("head_a", {"code": a}, year),
        "spmi:review": ("officer_d1", {"code": a}, year),
        "spmi:evidence": ("head_a", {"code": a, "pk": evidence_file(w).pk}, []),
        "spmi:example": ("head_a", {"pk": w.spmi_cycle.pk}, []),
    }


def _api_routes(w):
    from api.services import key_create

    if not hasattr(w, "api_secret"):
        w.api_key, w.api_secret = key_create(name="Hostile", unit_code="KPM")
    year, a = {"year": 2026}, w.a.code
    schools = ["state", "district", "level", "type", "skm", "q", "updated_since", "limit", "cursor"]
    return {
        "api:api-root": ("api_key", {}, []),
        "api:index": ("api_key", {}, []),
        "api:openapi-json": (None, {}, []),
        "api:openapi-view": (None, {}, []),
        "api:states": ("api_key", {}, ["limit", "cursor"]),
        "api:districts": ("api_key", {}, ["state", "limit", "cursor"]),
        "api:schools": ("api_key", {}, schools),
        "api:school": ("api_key", {"code": a}, []),
        "api:ssqs_cycles": ("api_key", {}, ["limit", "cursor"]),
        "api:ssqs_ratings": ("api_key", year, [*schools, "stars", "status"]),
        "api:ssqs_rating": ("api_key", {**year, "code": a}, []),
        "api:ssqs_nodes": ("api_key", year, ["level", "parent", "updated_since", "cursor"]),
        "api:pibk_years": ("api_key", {}, ["limit", "cursor"]),
        "api:pibk_schools": ("api_key", year, [*schools, "reach", "mode"]),
        "api:pibk_nodes": ("api_key", year, ["level", "parent", "updated_since", "cursor"]),
        "api:pasr_nodes": ("api_key", year, ["level", "parent", "updated_since", "cursor"]),
        "api:certificate": (None, {"reference": "SKM-X"}, []),
        "api:standards": (None, {}, ["q", "sector", "level", "limit", "cursor"]),
        "api:standard": (None, {"code": w.sk_standard.code}, []),
        "api:accreditations": (None, {}, ["standard", "centre", "state", "limit", "cursor"]),
        "api_keys:list": ("admin", {}, []),
        "api_keys:detail": ("admin", {"pk": w.api_key.pk}, []),
        "api_keys:revoke": ("admin", {"pk": w.api_key.pk}, []),
    }


def _pasr_results_routes(w):
    """PASR's results URLs, on school A with one candidate whose results are open today."""
    from pasr.models import Rating
    from tests.test_permission_matrix import _pasr_rated, _pasr_results

    _pasr_results(w)
    if not Rating.objects.filter(candidate=w.pasr_candidate).exists():
        _pasr_rated(w)  # so the moderation grid has a cell to moderate
    a, pk = w.a.code, w.pasr_candidate.pk
    grid = ["year", "class"]
    return {
        "pasr:candidate": ("exam_sec_a", {"code": a, "pk": pk}, ["year"]),
        "pasr:absent": ("exam_sec_a", {"code": a, "pk": pk}, []),
        "pasr:withdraw": ("exam_sec_a", {"code": a, "pk": pk}, []),
        "pasr:rate": ("pasr_teacher_a", {"code": a, "instrument_code": "prokhas1"}, grid),
        "pasr:moderate": ("subject_head_a", {"code": a, "instrument_code": "prokhas1"}, grid),
        "pasr:submit": ("subject_head_a", {"code": a}, ["year"]),
        "pasr:review": ("head_a", {"code": a}, ["year"]),
        "pasr:reopen": ("lp_officer", {"code": a}, ["year"]),
        "pasr:transfer": ("exam_sec_a", {"code": a}, ["year"]),
        "pasr:transfers": ("officer_d1", {}, ["year", "district"]),
        # Skills certification: certificates (issue 16)
        **_skills_certificate_routes(w),
    }


def _skills_certificate_routes(w):
    """A centre, its verified intake, one certificate, a failed batch and the body's officer."""
    import datetime

    from django.utils import timezone

    from skills.models import (
        Accreditation,
        Centre,
        CompetencyUnit,
        Enrolment,
        Intake,
        IssueBatch,
        Result,
        Sector,
        Standard,
        Trainee,
    )
    from skills.pdfs import check_token
    from skills.services.certificates import certificates_issue_for_enrolment
    from tests.factories import person

    if not hasattr(w, "sk_certificate"):
        today = timezone.localdate()
        sector = Sector.objects.create(code="HX", name_ms="Ujian", name_en="Test")
        standard = Standard.objects.create(code="HX-001-2:2020", title_ms="Ujian",
                                           title_en="Test", sector=sector, level=2)  # fmt: skip
        unit = CompetencyUnit.objects.create(standard=standard, code="HX-C01", title_ms="U",
                                             title_en="U", hours=10)  # fmt: skip
        centre = Centre.objects.create(code="PB-HX01", name="Pusat Ujian")
        accreditation = Accreditation.objects.create(
            centre=centre, standard=standard, state="approved",
            valid_from=today - datetime.timedelta(days=100),
            expires_on=today + datetime.timedelta(days=100),
        )  # fmt: skip
        officer = w.users.get("sk_cert_officer") or person(
            "hx.pegawai", roles=[("certification_officer", "JPK")]
        )
        w.users["sk_cert_officer"] = officer
        w.sk_intake = Intake.objects.create(
            centre=centre, accreditation=accreditation, code="HX1", starts_on=today,
            ends_on=today, state="verified",
        )  # fmt: skip
        enrolment = Enrolment.objects.create(
            intake=w.sk_intake, trainee=Trainee.objects.create(id_number="010101010101", name="X")
        )
        Result.objects.create(
            enrolment=enrolment, unit=unit, outcome="competent", assessed_on=today,
            assessor=officer, verified_at=timezone.now(),
        )  # fmt: skip
        w.sk_certificate = certificates_issue_for_enrolment(
            enrolment=enrolment, by=officer
        ).certificate
        w.sk_enrolment = enrolment
        w.users["sk_hx_admin"] = person("admin.hx", roles=[("centre_admin", centre)])
        w.sk_batch = IssueBatch.objects.create(intake=w.sk_intake, requested_by=officer,
                                               state="failed")  # fmt: skip
    intake = {"code": w.sk_intake.centre.code, "pk": w.sk_intake.pk}
    certificate = {"pk": w.sk_certificate.pk}
    return {
        "skills:intake_certify": ("sk_cert_officer", intake, []),
        "skills:issue_batch": ("sk_cert_officer", {"pk": w.sk_batch.pk}, []),
        "skills:issue_batch_restart": ("sk_cert_officer", {"pk": w.sk_batch.pk}, []),
        "skills:certificate": ("sk_cert_officer", certificate, []),
        "skills:certificate_revoke": ("sk_cert_officer", certificate, []),
        "skills:certificate_reissue": ("sk_cert_officer", certificate, []),
        "skills:certificate_pdf": ("sk_cert_officer", certificate, []),
        "skills:trainee_account": ("sk_hx_admin", {**intake, "enrolment": w.sk_enrolment.pk}, []),
        "skills:statistics": ("sk_cert_officer", {}, ["year", "format", "state", "centre"]),
        "skills:executive": (
            "sk_cert_officer",
            {},
            ["year", "state", "sector", "centre", "format"],
        ),
        "skills:check": (None, {}, ["no", "id_number"]),
        "skills:check_token": (None, {"token": check_token(w.sk_certificate)}, ["id_number"]),
    }


# The acts each POST-only URL takes, for URLs whose form is not on a page of its own.
POST_FIELDS = {
    "api_keys:revoke": {},
    "surveys:reopen": {"until": "2099-01-01"},
    "monitoring:review": {"decision": "verified", "comment": "ok"},
    "monitoring:certificates_request": {},
    "monitoring:certificates_restart": {},
    "monitoring:remind": {},
    "pibk:review": {"window": "K1-NOV", "decision": "verified", "comment": "ok"},
    "pibk:reopen": {"window": "K1-MAR", "until": "2099-01-01", "reason": "x"},
    "surveys:submit": {"comment": "Sedia", "confirm": "1"},
    "pibk:submit": {"window": "K1-NOV", "comment": "Sedia", "confirm": "1"},
    "pibk:pupil_flag": {"on": "1"},
    "pibk:activity_date": {"held_on": "2026-01-10"},
    "pibk:attendance_tick": {"present": "1"},
    "pibk:volunteer_tick": {"on": "1"},
    "surveys:switch_respondent": {},
    "accounts:logout": {},
    "people:staff_role": {"role": "teacher", "action": "add"},
    "people:staff_password": {"password1": "Baru-Sahaja-2026", "password2": "Baru-Sahaja-2026"},
    # skills: the application's POST (its page shows the form once a standard is chosen)
    "skills:apply": {"standard": "IT-010-3:2016", "mode": "modular", "units": "1", "note": "x"},
    # PASR registration (issue 15)
    "pasr:override_ask": {**pasr_form_data(date_of_birth="2000-01-01"), "note": "Lewat"},
    "pasr:declare": {},
    "pasr:undeclare": {},
    "pasr:instrument_download": {},
    "pasr:instrument_verify": {"note": "Lengkap"},
    "pasr:board_window": {
        "window": "registration",
        "opens": "2026-04-01",
        "closes": "2026-04-20",
        "reason": "x",
    },
    "pasr:board_results_due": {"due": "2026-12-15", "reason": "x"},
    "pasr:board_instrument": {"instrument": "prokhas1", "title": "ProKhas 1"},
    "pasr:override_decide": {"decision": "approve", "reason": "x"},
    # PASR results (issue 15)
    "pasr:absent": {"instrument": "prokhas1", "note": "Sakit"},
    "pasr:withdraw": {"reason": "Berpindah ke luar negara"},
    "pasr:submit": {"window": "prokhas1", "comment": "Sedia", "confirm": "1"},
    "pasr:review": {"window": "prokhas1", "decision": "verified", "comment": "ok"},
    "pasr:reopen": {"window": "prokhas2", "until": "2099-01-01", "reason": "Banjir"},
    # Skills certification: certificates (issue 16)
    "skills:issue_batch_restart": {},
    "skills:trainee_account": {},
    "skills:certificate_revoke": {"reason": "Dokumen palsu"},
    "skills:certificate_reissue": {"holder_name": "Ali bin Abu", "reason": "Ejaan"},
    # Skills complaints (issue 17)
    "skills:complaint_act": {"act": "answer", "note": "Kami siasat", "assignee": "", "upheld": ""},
    # Skills personnel (issue 17)
    "skills:personnel_act": {
        "act": "induct",
        "reason": "x",
        "course": "Induksi",
        "induction_on": "2026-01-01",
    },
    # Facilities (Kemudahan): the declaration, two items of it (the rest missing: refused)
    "skills:facilities_declare": {
        "in_place-RUANG": "yes",
        "how-RUANG": "Bengkel 90 m²",
        "in_place-OKU": "no",
        "how-OKU": "",
    },
}


class Walker:
    def __init__(self, client, world):
        from surveys.views import SESSION_KEY

        self.client = client
        self.world = world
        self.session_key = SESSION_KEY
        self.failures: list[str] = []
        self.requests = 0
        self.persona: str | None = None

    def become(self, persona):
        """Log in afresh as persona (an act may have logged the last one out)."""
        self.client.logout()
        self.client.defaults.pop("HTTP_AUTHORIZATION", None)
        self.persona = persona
        if persona is None:
            return
        if persona == "api_key":  # the read API: a national key, no session
            self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {self.world.api_secret}"
            return
        user_key = "resp_a" if persona == "resp_chosen" else persona
        self.client.force_login(self.world.users[user_key])
        if persona == "resp_chosen":
            session = self.client.session
            session[self.session_key] = self.world.respondent.pk
            session.save()

    def send(self, method, url, label, **kwargs):
        self.requests += 1
        self.become(self.persona)
        try:
            response = getattr(self.client, method)(url, **kwargs)
        except Exception as error:  # the test client re-raises the view's exception
            self.failures.append(f"{label}: raised {type(error).__name__}: {error!s:.200}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{label}: answered {response.status_code}")
        return response


def fill(values: dict[str, list[str]]):
    return {k: v if len(v) > 1 else v[0] for k, v in values.items()}


def walk_form(walker: Walker, form: Form, page_url: str, name: str):
    action = form.action or page_url
    if action.startswith("http") or action.startswith("/admin/"):
        return
    fields = one_of_each_shape(form.fields)
    base = base_data(form)
    method = "post" if form.method == "post" else "get"
    files = [n for n, kind, _ in form.fields if kind == "file"]
    for field_name, _kind, _value in fields:
        if field_name in files:
            continue
        for bad in BAD_VALUES:
            data = dict(base)
            data[field_name] = [bad]
            walker.send(
                method, action, f"{name} {method} {field_name}={bad!r:.30}", data=fill(data)
            )
        # The same field twice, with two different values; then the field missing.
        data = dict(base)
        data[field_name] = ["1", "2"]
        walker.send(method, action, f"{name} {method} {field_name} twice", data=fill(data))
        data = {k: v for k, v in base.items() if k != field_name}
        walker.send(method, action, f"{name} {method} without {field_name}", data=fill(data))
        # A field whose name carries an id (`name-12`) with a hostile id in its name.
        if re.search(r"\d", field_name):
            for bad_id in BAD_IDS:
                data = dict(base)
                data[re.sub(r"\d+", bad_id, field_name)] = ["x"]
                walker.send(method, action, f"{name} {method} {shape(field_name)}={bad_id!r}",
                            data=fill(data))  # fmt: skip
    for file_field in files:
        for label, content in [
            ("empty", b""),
            ("binary", bytes(range(256)) * 8),
            ("nul", b"ID_KELUARGA\x00,NAMA\n\x00\x00\n"),
            ("utf16", "ID_KELUARGA,NAMA_PENJAGA\nK1,Ali\n".encode("utf-16")),
        ]:
            data = fill(base)
            data[file_field] = SimpleUploadedFile(f"{label}.csv", content, "text/csv")
            walker.send("post", action, f"{name} upload {file_field} {label}", data=data)
    if method == "post":
        walker.send("post", action, f"{name} empty body", data={})
        walker.send(
            "post",
            action,
            f"{name} JSON body",
            data=json.dumps({"x": [1, "\x00"]}),
            content_type="application/json",
        )


@pytest.mark.django_db
def test_every_url_is_walked(hostile_world):
    assert set(routes(hostile_world)) == url_names()


@pytest.mark.django_db(transaction=False)
def test_no_hostile_value_answers_a_server_error(hostile_world, client):
    from django.urls import reverse

    walker = Walker(client, hostile_world)
    for name, (persona, kwargs, filters) in sorted(routes(hostile_world).items()):
        walker.become(persona)
        url = reverse(name, kwargs=kwargs)
        if name in POST_FIELDS:
            base = {k: [v] for k, v in POST_FIELDS[name].items()}
            walk_form(walker, Form("post", url, [(k, "text", v[0]) for k, v in base.items()]),
                      url, name)  # fmt: skip
            continue
        response = walker.send("get", url, f"{name} GET")
        if response is None or response.status_code != 200:
            continue
        for bad in BAD_VALUES:
            for param in filters:
                walker.send("get", url, f"{name} ?{param}={bad!r:.30}", data={param: bad})
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_of(response.content.decode()):
            walk_form(walker, form, url, name)
    assert not walker.failures, f"{len(walker.failures)} of {walker.requests}:\n" + "\n".join(
        walker.failures[:80]
    )


@pytest.mark.django_db
def test_no_hostile_path_value_answers_a_server_error(hostile_world, client):
    """Every `<str:...>` part of a path with hostile values: 404 or a refusal, never 500."""
    from django.urls import reverse

    walker = Walker(client, hostile_world)
    for name, (persona, kwargs, _filters) in sorted(routes(hostile_world).items()):
        for key, value in kwargs.items():
            if not isinstance(value, str):
                continue
            for bad in BAD_PATH_VALUES:
                walker.become(persona)
                url = reverse(name, kwargs={**kwargs, key: "PLACEHOLDER"})
                url = url.replace("PLACEHOLDER", bad)
                walker.send("get", url, f"{name} path {key}={bad!r:.20}")
                if name in POST_FIELDS:
                    walker.send("post", url, f"{name} POST path {key}={bad!r:.20}",
                                data=POST_FIELDS[name])  # fmt: skip
    assert not walker.failures, "\n".join(walker.failures[:80])
