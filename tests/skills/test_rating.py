"""The centre star rating (Modul Penarafan Bintang): rules, the bulk rebuild, versions, pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from skills import rating_rules as rr
from skills.models import (
    AccreditationEvent,
    CentreRating,
    CentreRatingLine,
    RatingScheme,
    Result,
    Verification,
)
from skills.selectors.accreditation import accreditation_valid_on
from skills.services import rating as services

from .training_factories import assess_all, intake_at, trainees_in

# The pages are read in English (Malay is the default).
pytestmark = pytest.mark.usefixtures("english")

D = datetime.date

# "Higher is better: the points of the band with the highest threshold the value reaches;
# a value below every threshold scores 0. Lower is better: the points of the band with the
# lowest threshold the value does not exceed; a value above every threshold scores 0."
PASS_BANDS = ((50, 40), (65, 60), (75, 80), (85, 100))
RETURNED_BANDS = ((0, 100), (10, 80), (25, 50), (50, 20))


@pytest.mark.parametrize(
    ("value", "bands", "better", "expected"),
    [
        (49.99, PASS_BANDS, rr.HIGHER, 0),
        (50, PASS_BANDS, rr.HIGHER, 40),
        (74.9, PASS_BANDS, rr.HIGHER, 60),
        (85, PASS_BANDS, rr.HIGHER, 100),
        (100, PASS_BANDS, rr.HIGHER, 100),
        (0, RETURNED_BANDS, rr.LOWER, 100),
        (0.01, RETURNED_BANDS, rr.LOWER, 80),
        (25, RETURNED_BANDS, rr.LOWER, 50),
        (50, RETURNED_BANDS, rr.LOWER, 20),
        (50.5, RETURNED_BANDS, rr.LOWER, 0),
    ],
)
def test_points_by_bands(value, bands, better, expected):
    assert rr.points(value, bands, better) == expected


# "A criterion with no data ... is left out, and the weights of the others count in its
# place. The total is the weighted mean of the points, to one decimal. A centre with no
# data in any weighted criterion gets no rating."
@pytest.mark.parametrize(
    ("scored", "expected"),
    [
        (((100, 30), (50, 70)), Decimal("65.0")),
        (((100, 30), (None, 70)), Decimal("100.0")),
        (((80, 1), (70, 2)), Decimal("73.3")),
        (((80, 1), (75, 1)), Decimal("77.5")),
        (((None, 30), (None, 70)), None),
        (((100, 0), (None, 10)), None),
    ],
)
def test_weighted_total(scored, expected):
    assert rr.total(scored) == expected


STARS = ((85, 5), (70, 4), (55, 3), (40, 2), (0, 1))


# "The stars are those of the highest star band the total reaches."
@pytest.mark.parametrize(
    ("total", "expected"),
    [(Decimal("100"), 5), (Decimal("85.0"), 5), (Decimal("84.9"), 4), (Decimal("55"), 3),
     (Decimal("39.9"), 1), (Decimal("0"), 1)],
)  # fmt: skip
def test_stars(total, expected):
    assert rr.stars(total, STARS) == expected


# "Of the days in the year (up to today) each accreditation was granted for ... the share
# on which it was neither suspended nor revoked; an act counts from its own day."
@pytest.mark.parametrize(
    ("valid_from", "expires_on", "changes", "state", "expected"),
    [
        (D(2025, 1, 1), None, (), "approved", (365, 365)),
        (D(2025, 7, 1), D(2026, 6, 30), (), "approved", (184, 184)),
        (D(2024, 1, 1), D(2025, 1, 31), (), "approved", (31, 31)),
        (D(2026, 1, 1), None, (), "approved", (0, 0)),
        (None, None, (), "applied", (0, 0)),
        (D(2025, 1, 1), None, (), "suspended", (365, 0)),
        # Approved 1 Jan, suspended 1 Mar (from that day), reinstated 1 Apr.
        (D(2025, 1, 1), None, ((D(2025, 1, 1), "approved"), (D(2025, 3, 1), "suspended"),
                                (D(2025, 4, 1), "approved")), "approved", (365, 365 - 31)),
        # Two acts on one day: the later one holds at the end of the day.
        (D(2025, 1, 1), None, ((D(2025, 1, 1), "approved"), (D(2025, 6, 1), "suspended"),
                                (D(2025, 6, 1), "approved")), "approved", (365, 365)),
        (D(2025, 1, 1), None, ((D(2025, 1, 1), "approved"), (D(2025, 12, 1), "revoked")),
         "revoked", (365, 334)),
    ],
)  # fmt: skip
def test_compliance_days(valid_from, expires_on, changes, state, expected):
    got = rr.compliance_days(D(2025, 1, 1), D(2025, 12, 31), valid_from, expires_on, changes,
                             state)  # fmt: skip
    assert got == expected


def test_the_published_default_parses():
    scheme = services.scheme_read(services.DEFAULT_FILE.read_bytes())
    assert [c.code for c in scheme.criteria] == ["PASS", "RETURNED", "FINDINGS", "COMPLIANCE"]
    assert sum(c.weight for c in scheme.criteria) == 100
    assert scheme.stars[0] == (85, 5) and scheme.stars[-1] == (0, 1)


def test_version_2_adds_complaints_and_facilities_with_weights_to_100():
    v1 = services.scheme_read(services.DEFAULT_FILE.read_bytes())
    v2 = services.scheme_read(services.BUNDLED[1][0].read_bytes())
    assert [c.code for c in v2.criteria] == ["PASS", "RETURNED", "FINDINGS", "COMPLIANCE",
                                             "COMPLAINTS", "FACILITIES"]  # fmt: skip
    assert {c.measure for c in v2.criteria} == set(rr.MEASURES)
    assert sum(c.weight for c in v2.criteria) == 100
    # The bands of the first four are version 1's.
    assert [c.bands for c in v2.criteria[:4]] == [c.bands for c in v1.criteria]
    assert v2.stars == v1.stars


# "Complaints upheld: the complaints about the centre closed in the year (by their closing
# day) that the body upheld, counted; a complaint reopened counts again only once it is
# closed again. Every centre rated has a count (none: 0)."
@pytest.mark.parametrize(
    ("complaints", "expected"),
    [
        ((), (0.0, [0, 0])),
        (((D(2025, 3, 1), True),), (1.0, [1, 1])),
        (((D(2025, 3, 1), True), (D(2025, 4, 1), False), (D(2025, 12, 31), True)),
         (2.0, [2, 3])),
        (((D(2024, 12, 31), True), (D(2026, 1, 1), True)), (0.0, [0, 0])),
        (((None, None), (D(2025, 5, 1), None)), (0.0, [0, 1])),  # reopened; closed, unsaid
    ],
)  # fmt: skip
def test_complaints_upheld(complaints, expected):
    assert rr.complaints_upheld(complaints, 2025) == expected


# "Facilities checked: of the items of the centre's declaration of its facilities for the
# year that the body checked on a visit, the share the body confirmed; an item declared not
# in place is not confirmed. No checked declaration that year: no data."
@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        (None, (None, [0, 0])),
        ((), (None, [0, 0])),
        (("confirmed",) * 11, (100.0, [11, 11])),
        (("confirmed",) * 9 + ("rejected", "absent"), (81.82, [9, 11])),
        (("absent", "rejected"), (0.0, [0, 2])),
    ],
)
def test_facilities_checked(findings, expected):
    assert rr.facilities_checked(findings) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"criteria: [", "not valid YAML at line"),
        (b"- 1\n- 2\n", "must hold a mapping"),
        (b"\xff\xfe", "not UTF-8"),
        (b"criteria: []\nstars: [[0, 1]]", "'criteria' must be a list"),
        (b"criteria:\n - {code: A, name_ms: a, name_en: a, measure: nope, weight: 10, "
         b"bands: [[0, 10]]}\nstars: [[0, 1]]", "unknown measure nope"),
        (b"criteria:\n - {code: A, name_ms: a, name_en: a, measure: results.pass_rate, "
         b"weight: 101, bands: [[0, 10]]}\nstars: [[0, 1]]", "'weight' must be"),
        (b"criteria:\n - {code: A, name_ms: a, name_en: a, measure: results.pass_rate, "
         b"weight: 10, bands: [[0, 110]]}\nstars: [[0, 1]]", "points from 0 to 100"),
        (b"criteria:\n - {code: A, name_ms: a, name_en: a, measure: results.pass_rate, "
         b"weight: 10, bands: [[0, 10]]}\nstars: [[10, 1]]", "must start at 0"),
        (b"criteria:\n - {code: A, name_ms: a, name_en: a, measure: results.pass_rate, "
         b"weight: 10, bands: [[0, 10]]}\nstars: [[0, 3], [50, 2]]", "fewer stars"),
        (b"x" * (rr.MAX_SCHEME_BYTES + 1), "larger than"),
    ],
)  # fmt: skip
def test_a_bad_file_names_its_problem_and_saves_nothing(db, text, problem):
    with pytest.raises(rr.SchemeErrors) as raised:
        services.scheme_upload(data=text, from_year=2025)
    assert problem in str(raised.value)
    assert not RatingScheme.objects.exists()


def test_every_problem_is_named_at_once():
    with pytest.raises(rr.SchemeErrors) as raised:
        rr.parse_scheme({"criteria": [{"code": "A", "measure": "x"}], "stars": "no"})
    assert len(raised.value.problems) >= 5


# --- the bulk rebuild against a straightforward computation, one centre at a time ---
def _world(sw):
    """Centre A: 3 trainees all competent, one intake returned then approved with findings;
    suspended for 10 days this year. Centre B: expired 35 days ago, half not yet competent."""
    today = sw.today
    intake = intake_at(sw, code="R1", state="submitted", verifier=sw.users["verifier"])
    trainees_in(intake, 3)
    assess_all(sw, intake, sw.users["assessor_ab"], on=today)
    now = timezone.now()
    Verification.objects.create(intake=intake, verifier=sw.users["verifier"],
                                decision="returned", findings="CU2 lemah", at=now)  # fmt: skip
    Verification.objects.create(intake=intake, verifier=sw.users["verifier"],
                                decision="approved", at=now)  # fmt: skip
    acc = sw.accreditation_a
    by = sw.users["cert_officer"]
    start = timezone.make_aware(datetime.datetime(today.year, 1, 1, 10))
    for act, days in (("approve", 0), ("suspend", 20), ("reinstate", 30)):
        AccreditationEvent.objects.create(accreditation=acc, act=act, by=by,
                                          at=start + datetime.timedelta(days=days))  # fmt: skip
    b = intake_at(sw, "b", code="RB")
    trainees_in(b, 2, start=10)
    assess_all(sw, b, sw.users["assessor_ab"], on=today - datetime.timedelta(days=1))
    Result.objects.filter(enrolment__intake=b, unit=sw.units[0]).update(outcome="not_yet")
    _complaints_and_facilities(sw)
    return today.year


def _complaints_and_facilities(sw):
    """A: two complaints closed this year (one upheld), one upheld then reopened, one closed
    upheld last year; its facilities declared and checked (9 of 11 confirmed). B: one
    complaint upheld this year, its facilities declared, not yet checked."""
    from skills.models import Complaint
    from skills.services import complaints as complaint_services

    from .complaint_helpers import complaint
    from .facility_helpers import check, declare

    officer = sw.users["cert_officer"]

    def closed(centre, upheld, reopen=False):
        found = complaint(sw, centre=centre)
        complaint_services.complaint_act(complaint=found, act="answer", by=officer, note="J")
        complaint_services.complaint_act(complaint=found, act="close", by=officer, note="T",
                                         upheld=upheld)  # fmt: skip
        if reopen:
            complaint_services.complaint_act(complaint=found, act="reopen", by=officer,
                                             note="Bukti baharu")  # fmt: skip
        return found

    closed(sw.centre_a, True)
    closed(sw.centre_a, False)
    closed(sw.centre_a, True, reopen=True)
    last_year = closed(sw.centre_a, True)
    Complaint.objects.filter(pk=last_year.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=sw.today.timetuple().tm_yday + 3)
    )
    closed(sw.centre_b, True)
    check(sw, declare(sw))
    declare(sw, sw.centre_b)


def _straightforward(centre, year, today):
    """One centre's measures by the plain rules: a day at a time, a record at a time."""
    start, end = D(year, 1, 1), min(D(year, 12, 31), today)
    granted = compliant = 0
    for acc in centre.accreditations.all():
        events = list(acc.events.all())
        valid_from = acc.valid_from or next(
            (timezone.localdate(e.at) for e in sorted(events, key=lambda e: (e.at, e.pk))
             if e.act == "approve"), None)  # fmt: skip
        if valid_from is None:
            continue
        day = start
        while day <= end:
            if valid_from <= day and (acc.expires_on is None or day <= acc.expires_on):
                granted += 1
                compliant += accreditation_valid_on(acc, day, events)
            day += datetime.timedelta(days=1)
    results = [r for r in Result.objects.filter(enrolment__intake__centre=centre)
               if r.assessed_on.year == year]  # fmt: skip
    rounds = [v for v in Verification.objects.filter(intake__centre=centre)
              if timezone.localdate(v.at).year == year]  # fmt: skip
    intakes = {v.intake_id for v in rounds}
    from skills.models import Complaint, FacilityDeclaration

    complaints = [(timezone.localdate(c.closed_at) if c.closed_at else None, c.upheld)
                  for c in Complaint.objects.filter(centre=centre)]  # fmt: skip
    declaration = FacilityDeclaration.objects.filter(centre=centre, year=year,
                                                     state="checked").first()  # fmt: skip
    facilities = None if declaration is None else [i.finding for i in declaration.items.all()]

    def pct(a, b, scale=100):
        return round(a * scale / b, 2) if b else None

    return granted, {
        "results.pass_rate": pct(sum(r.outcome == "competent" for r in results), len(results)),
        "verification.returned_share": pct(sum(v.decision == "returned" for v in rounds),
                                           len(rounds)),
        "verification.findings": pct(sum(bool(v.findings) for v in rounds), len(intakes), 1),
        "accreditation.compliance": pct(compliant, granted),
        "complaints.upheld": rr.complaints_upheld(complaints, year)[0],
        "facilities.checked": rr.facilities_checked(facilities)[0],
    }  # fmt: skip


def test_the_bulk_rebuild_equals_the_straightforward_computation(skills_world):
    sw = skills_world
    year = _world(sw)
    assert services.rating_rebuild(year=year) == 2
    scheme = services.scheme_for_year(year)
    criteria = list(scheme.criteria.all())
    for centre in (sw.centre_a, sw.centre_b):
        granted, expected = _straightforward(centre, year, sw.today)
        rating = CentreRating.objects.get(centre=centre, year=year)
        lines = {line.criterion.measure: line for line in rating.lines.select_related("criterion")}
        assert {m: line.value for m, line in lines.items()} == {
            m: v for m, v in expected.items() if m in lines
        }
        scored = []
        for c in criteria:
            value = expected[c.measure]
            got = None if value is None else rr.points(value, c.bands, rr.MEASURES[c.measure][0])
            assert lines[c.measure].points == got
            scored.append((got, c.weight))
        assert rating.total == rr.total(scored)
        assert rating.stars == rr.stars(rating.total, scheme.stars)
    a = CentreRating.objects.get(centre=sw.centre_a, year=year)
    assert a.lines.get(criterion__code="PASS").value == 100.0
    assert a.lines.get(criterion__code="RETURNED").value == 50.0
    assert a.lines.get(criterion__code="COMPLIANCE").value < 100.0  # the 10 days suspended
    if scheme.version >= 2:  # the criteria of 2026 on
        assert (a.lines.get(criterion__code="COMPLAINTS").value, a.lines.get(
            criterion__code="COMPLAINTS").counts) == (1.0, [1, 2])  # fmt: skip
        assert a.lines.get(criterion__code="FACILITIES").counts == [9, 11]
        b = CentreRating.objects.get(centre=sw.centre_b, year=year)
        assert b.lines.get(criterion__code="FACILITIES").points is None  # not checked: no data


def test_the_measures_read_a_constant_number_of_queries(skills_world,
                                                        django_assert_num_queries):  # fmt: skip
    from skills.models import Accreditation, Centre

    sw = skills_world
    year = _world(sw)
    with django_assert_num_queries(6):
        few = services.measures(year=year)
    for i in range(10):
        centre = Centre.objects.create(code=f"PB-Q{i:03d}", name=f"Pusat {i}")
        Accreditation.objects.create(centre=centre, standard=sw.standard, state="approved",
                                     valid_from=D(year, 1, 1))  # fmt: skip
    with django_assert_num_queries(6):
        many = services.measures(year=year)
    assert len(many) == len(few) + 10


def test_the_rebuild_is_idempotent_and_leaves_unaccredited_centres_out(skills_world):
    from skills.models import Centre

    sw = skills_world
    year = _world(sw)
    Centre.objects.create(code="PB-C003", name="Tiada tauliah")
    services.rating_rebuild(year=year)
    first = sorted(CentreRating.objects.values_list("centre__code", "total", "stars"))
    services.rating_rebuild(year=year)
    assert sorted(CentreRating.objects.values_list("centre__code", "total", "stars")) == first
    criteria = services.scheme_for_year(year).criteria.count()
    assert CentreRatingLine.objects.count() == 2 * criteria
    assert "PB-C003" not in [c for c, _t, _s in first]


def test_a_new_version_rates_its_years_and_earlier_years_keep_theirs(skills_world, settings):
    sw = skills_world
    year = _world(sw)
    services.scheme_default(from_year=year - 1)
    bundled = RatingScheme.objects.count()
    services.rating_rebuild(year=year - 1)
    services.rating_rebuild(year=year)
    text = services.DEFAULT_FILE.read_text().replace(
        "weight: 30\n    bands: [[80", "weight: 60\n    bands: [[80"
    )
    ours, created = services.scheme_upload(data=text.encode(), from_year=year)
    assert created and ours.version == bundled + 1
    # The same content again changes nothing.
    again, created = services.scheme_upload(data=text.encode(), from_year=year)
    assert (again.pk, created) == (ours.pk, False)
    services.rating_rebuild(year=year - 1)
    services.rating_rebuild(year=year)
    assert set(CentreRating.objects.filter(year=year).values_list("scheme__version", flat=True)) \
        == {ours.version}  # fmt: skip
    assert set(CentreRating.objects.filter(year=year - 1)
               .values_list("scheme__version", flat=True)) <= {1, 2}  # fmt: skip
    assert RatingScheme.objects.count() == bundled + 1


def test_the_bundled_versions_are_published_in_order_and_never_after_the_bodys(db):
    """Version 1 from the year given, version 2 from 2026; once the body has published its
    own version, a bundled one never comes after it."""
    first = services.scheme_default(from_year=2022)
    assert list(RatingScheme.objects.order_by("version").values_list("version", "from_year")) \
        == [(1, 2022), (2, 2026)]  # fmt: skip
    assert first.version == 1
    services.scheme_default(from_year=2022)
    assert RatingScheme.objects.count() == 2
    RatingScheme.objects.filter(version=2).delete()
    text = services.DEFAULT_FILE.read_bytes().replace(b"weight: 15", b"weight: 20")
    services.scheme_upload(data=text, from_year=2025)  # the body's own version 2
    services.scheme_default(from_year=2022)
    assert RatingScheme.objects.count() == 2
    assert RatingScheme.objects.get(version=2).criteria.get(code="FINDINGS").weight == 20


def test_closing_or_reopening_a_centres_complaint_announces_its_year(skills_world,
                                                                     monkeypatch):  # fmt: skip
    from skills.services import complaints as complaint_services

    from .complaint_helpers import complaint

    announced = []
    monkeypatch.setattr(complaint_services, "rating_changed",
                        lambda *, year: announced.append(year))  # fmt: skip
    officer = skills_world.users["cert_officer"]
    found = complaint(skills_world)
    for act, upheld in (("answer", None), ("close", True), ("reopen", None)):
        complaint_services.complaint_act(complaint=found, act=act, by=officer, note="n",
                                         upheld=upheld)  # fmt: skip
    assert announced == [skills_world.today.year] * 2
    system = complaint(skills_world, category="system")  # about no centre: no rating
    complaint_services.complaint_act(complaint=system, act="answer", by=officer, note="n")
    complaint_services.complaint_act(complaint=system, act="close", by=officer, note="n",
                                     upheld=True)  # fmt: skip
    assert len(announced) == 2


# --- pages ---
def _rated(sw):
    year = _world(sw)
    services.rating_rebuild(year=year)
    return year


def test_the_centre_sees_its_drill_down(skills_world, login, django_assert_max_num_queries):
    sw = skills_world
    _rated(sw)
    client = login(sw.users["centre_admin_a"])
    with django_assert_max_num_queries(14):
        response = client.get(f"/kemahiran/pusat/{sw.centre_a.code}/penarafan/")
    body = response.content.decode()
    assert response.status_code == 200
    rating = CentreRating.objects.get(centre=sw.centre_a)
    assert f'data-stars="{rating.stars}"' in body
    for code in rating.lines.values_list("criterion__code", flat=True):
        assert f'data-criterion="{code}"' in body
    assert "1 of 2 verification rounds returned" in body
    if rating.scheme.version >= 2:
        assert "9 of 11 declared items confirmed on the visit" in body
        assert "complaints about the centre closed in the year: 2, upheld: 1" in body
        assert f"/kemahiran/pusat/{sw.centre_a.code}/kemudahan/?year=" in body


def test_the_body_lists_filters_sorts_and_exports(skills_world, login,
                                                  django_assert_max_num_queries):  # fmt: skip
    from skills.models import Accreditation, Centre

    sw = skills_world
    year = _world(sw)
    for i in range(12):
        centre = Centre.objects.create(code=f"PB-X{i:03d}", name=f"Pusat {i}")
        Accreditation.objects.create(centre=centre, standard=sw.standard, state="approved",
                                     valid_from=D(year, 1, 1))  # fmt: skip
    services.rating_rebuild(year=year)
    client = login(sw.users["cert_officer"])
    with django_assert_max_num_queries(14):
        response = client.get("/kemahiran/penarafan/?sort=code")
    body = response.content.decode()
    assert body.count("data-centre=") == 14
    assert body.index('data-centre="PB-A001"') < body.index('data-centre="PB-X000"')
    b = CentreRating.objects.get(centre=sw.centre_b)
    response = client.get(f"/kemahiran/penarafan/?stars={b.stars}&q=bravo")
    assert response.content.decode().count("data-centre=") == 1
    csv = b"".join(client.get("/kemahiran/penarafan/?format=csv").streaming_content).decode()
    assert "PB-B002" in csv and len(csv.strip().splitlines()) == 15
    assert client.get("/kemahiran/penarafan/?format=xlsx").status_code == 200


def _state():
    return (CentreRatingLine.objects.count(), RatingScheme.objects.count(),
            sorted(CentreRating.objects.values_list("pk", "computed_at", "total")))  # fmt: skip


def test_get_never_writes(skills_world, login):
    sw = skills_world
    _rated(sw)
    before = _state()
    client = login(sw.users["cert_officer"])
    for url in ("/kemahiran/penarafan/", f"/kemahiran/pusat/{sw.centre_a.code}/penarafan/",
                "/kemahiran/penarafan/kriteria/", "/kemahiran/penarafan/kriteria/muat-naik/",
                f"/kemahiran/pusat-bertauliah/{sw.centre_a.code}/"):  # fmt: skip
        assert client.get(url).status_code == 200
    assert _state() == before


def test_the_public_centre_page_shows_stars_and_no_personal_data(skills_world, client):
    sw = skills_world
    _rated(sw)
    response = client.get(f"/kemahiran/pusat-bertauliah/{sw.centre_a.code}/")
    body = response.content.decode()
    rating = CentreRating.objects.get(centre=sw.centre_a)
    assert f'data-stars="{rating.stars}"' in body and sw.standard.code in body
    assert "Pelatih" not in body and "0001011" not in body and "points" not in body
    # B's accreditation expired: no standard accredited today.
    assert sw.standard.code not in client.get(
        f"/kemahiran/pusat-bertauliah/{sw.centre_b.code}/").content.decode()  # fmt: skip


def test_the_body_uploads_a_version_and_a_bad_one_is_refused(skills_world, login):
    sw = skills_world
    services.scheme_default(from_year=2020)
    bundled = RatingScheme.objects.count()
    client = login(sw.users["cert_officer"])
    bad = SimpleUploadedFile("k.yaml", b"criteria: [\n")
    response = client.post("/kemahiran/penarafan/kriteria/muat-naik/",
                           {"file": bad, "from_year": sw.today.year})  # fmt: skip
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    assert RatingScheme.objects.count() == bundled
    good = services.DEFAULT_FILE.read_bytes().replace(b"weight: 15", b"weight: 20")
    response = client.post("/kemahiran/penarafan/kriteria/muat-naik/",
                           {"file": SimpleUploadedFile("k.yaml", good),
                            "from_year": sw.today.year})  # fmt: skip
    assert response.status_code == 302
    ours = RatingScheme.objects.get(version=bundled + 1)
    assert ours.uploaded_by == sw.users["cert_officer"]
    assert ours.criteria.get(code="FINDINGS").weight == 20


def test_the_command_rebuilds_a_year(skills_world):
    from io import StringIO

    from django.core.management import call_command

    year = _world(skills_world)
    out = StringIO()
    call_command("skills_rating_rebuild", str(year), stdout=out)
    assert f"{year}: 2 centres rated" in out.getvalue()
    assert CentreRating.objects.filter(year=year).count() == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025", 2025), (" 2024 ", 2024), ("2023", None), ("²", None), ("２０２５", None),
     ("", None), (None, None), ("2025\x00", None), ("-2025", None)],
)  # fmt: skip
def test_a_year_asked_for_is_one_rated(value, expected):
    from skills.selectors.rating import year_of

    assert year_of(value, [2025, 2024]) == expected
