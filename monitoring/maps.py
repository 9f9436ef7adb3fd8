"""The officers' map of a node: DOSM's boundaries coloured by the roll-ups. Reads only.

National: the states; state: its administrative districts (daerah); district:
the district's daerah with its schools as points. The figures come from the
roll-ups (``core.rollups``: ``SsqsRollUp``, ``pibk.PibkRollUp``) and, for the
points, the schools' progress rows: never from the answers.

The ministry's education districts (PPD) are not DOSM's daerah. Each PPD is
drawn on the daerah where most of its schools' coordinates lie (a PPD whose
schools have no coordinates: the daerah of the same name); a daerah holding
several PPDs shows them together, and a daerah no PPD claims goes to the PPD
with most schools in it.
"""

from collections import Counter, defaultdict
from fractions import Fraction

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.models import District, School, State
from ssqs_portal.numbers import round_half_up, two_decimals

from . import geo
from .models import SchoolProgress, SsqsRollUp

MEASURES = ("completeness", "stars", "kpi1")
WIDTH = 800
MAPPING_SECONDS = 6 * 3600  # schools rarely move; a re-import changes the key anyway


def measure_choices():
    return [
        ("completeness", _("Completeness (share of respondents finished)")),
        ("stars", _("Mean stars")),
        ("kpi1", _("PIBK KPI 1 (share of schools reaching 65 percent)")),
    ]


def legend():
    """Return each measure's bins: (measure, [(bin, label)]); bin 0 is "no data"."""
    percent = [(n + 1, f"{20 * n}–{20 * (n + 1)}%") for n in range(5)]
    stars = [(1, "< 1.5 ★"), (2, "1.5–2.5 ★"), (3, "2.5–3.5 ★"), (4, "3.5–4.5 ★"), (5, "≥ 4.5 ★")]
    none = (0, _("No data"))
    return [
        ("completeness", [none, *percent]),
        ("stars", [none, *stars]),
        ("kpi1", [none, *percent]),
    ]


class Figures:
    """The counts behind the three measures, for one node or several added together."""

    def __init__(self):
        self.schools = self.finished = self.required = 0
        self.stars = [0] * 5
        self.reaching = self.reporting = 0
        self.has_pibk = False

    def add_rollup(self, r):
        self.schools += r.schools
        self.finished += r.respondents_finished
        self.required += r.respondents_required
        for n in range(5):
            self.stars[n] += (r.stars_provisional or [0] * 5)[n] + (r.stars_final or [0] * 5)[n]

    def add_pibk(self, p):
        self.has_pibk = True
        self.reaching += p.reaching
        self.reporting += p.reporting

    @property
    def completeness(self):
        return Fraction(100 * self.finished, self.required) if self.required else None

    @property
    def rated(self):
        return sum(self.stars)

    @property
    def mean_stars(self):
        rated = self.rated
        if not rated:
            return None
        return Fraction(sum((n + 1) * c for n, c in enumerate(self.stars)), rated)

    @property
    def kpi1(self):
        return Fraction(100 * self.reaching, self.reporting) if self.reporting else None

    def bins(self):
        def percent_bin(value):
            return 0 if value is None else min(5, int(value // 20) + 1)

        stars = self.mean_stars
        return {
            "completeness": percent_bin(self.completeness),
            "stars": 0 if stars is None else max(1, min(5, round_half_up(stars))),
            "kpi1": percent_bin(self.kpi1),
        }

    def summary(self):
        """One line per measure, for the hover text."""
        no_data = _("no data")
        completeness, stars, kpi1 = self.completeness, self.mean_stars, self.kpi1
        return [
            _("Completeness: %(value)s (schools: %(schools)s)")
            % {
                "value": no_data if completeness is None else f"{round_half_up(completeness)}%",
                "schools": self.schools,
            },
            _("Mean stars: %(value)s (schools rated: %(rated)s)")
            % {"value": no_data if stars is None else two_decimals(stars), "rated": self.rated},
            _("PIBK KPI 1: %(value)s (schools reporting: %(reporting)s)")
            % {
                "value": no_data if kpi1 is None else f"{two_decimals(kpi1)}%",
                "reporting": self.reporting,
            },
        ]


def _state_number(state):
    """Return DOSM's code of a state: its ISO 3166-2 number (MY-10 -> 10), else by name."""
    if state.iso and state.iso.upper().startswith("MY-") and state.iso[3:].isdigit():
        return int(state.iso[3:])
    wanted = _plain(state.name)
    for feature in geo.load("states"):
        if _plain(feature["name"]) == wanted:
            return feature["state"]
    return None


def _plain(name):
    name = name.upper().replace("W.P.", "").replace("WILAYAH PERSEKUTUAN", "")
    if name.startswith("PPD "):
        name = name[4:]
    return " ".join(name.split())


def _figures(cycle, level, codes):
    """Return {code: Figures} of the nodes of ``level`` with these codes, PIBK included."""
    from pibk.models import PibkRollUp

    out = defaultdict(Figures)
    for rollup in SsqsRollUp.objects.filter(period=cycle.year, level=level, code__in=codes):
        out[rollup.code].add_rollup(rollup)
    pibk = PibkRollUp.objects.filter(level=level, code__in=codes)
    year = pibk.filter(period__lte=cycle.year).order_by("-period").values_list("period", flat=True)
    for rollup in pibk.filter(period__in=list(year[:1])):
        out[rollup.code].add_pibk(rollup)
    return out


def ppd_daerah(state, number):
    """Return {district code: daerah code} for a state's PPDs (see the module's note). Cached."""
    schools = School.objects.filter(district__state=state)
    located = schools.filter(longitude__isnull=False, latitude__isnull=False)
    key = f"monitoring:ppd-daerah:{state.code}:{located.count()}:{schools.count()}"
    mapping = cache.get(key)
    if mapping is not None:
        return mapping
    daerahs = [f for f in geo.load("districts") if f["state"] == number]
    counts = defaultdict(Counter)  # district code -> daerah code -> schools
    for code, lon, lat in located.values_list("district__code", "longitude", "latitude"):
        for feature in daerahs:
            if geo.contains(feature, float(lon), float(lat)):
                counts[code][feature["code"]] += 1
                break
    mapping = {}
    by_name = {_plain(f["name"]): f["code"] for f in daerahs}
    for code, name in District.objects.filter(state=state).values_list("code", "name"):
        if counts[code]:
            mapping[code] = counts[code].most_common(1)[0][0]
        elif _plain(name) in by_name:
            mapping[code] = by_name[_plain(name)]
    claimed = set(mapping.values())
    for feature in daerahs:  # a daerah no PPD claims: the PPD with most schools in it
        if feature["code"] not in claimed:
            best = max(counts, key=lambda c: counts[c][feature["code"]], default=None)
            if best is not None and counts[best][feature["code"]]:
                mapping.setdefault(f"+{feature['code']}", best)
    cache.set(key, mapping, MAPPING_SECONDS)
    return mapping


def _area(frame, rings, name, figures, url, extra=None):
    lines = [name, *(extra or []), *figures.summary()]
    return {
        "path": frame.path(rings),
        "name": name,
        "label": "\n".join(lines),
        "bins": figures.bins(),
        "url": url,
    }


def node_map(cycle, node):
    """Return the map of ``node`` as a dict for the template, or None without boundaries."""
    if node.level == "national":
        return _national(cycle)
    if node.level == "state":
        state = State.objects.get(code=node.code)
    else:
        state = District.objects.select_related("state").get(code=node.code).state
    number = _state_number(state)
    if number is None:
        return None
    if node.level == "state":
        return _state(cycle, state, number)
    return _district(cycle, node, state, number)


def _national(cycle):
    features = {f["state"]: f for f in geo.load("states")}
    frame = geo.Frame(geo.union_bbox(features.values()), WIDTH)
    states = list(State.objects.all())
    figures = _figures(cycle, "state", [s.code for s in states])
    areas, drawn = [], set()
    for state in states:
        number = _state_number(state)
        if number in features:
            drawn.add(number)
            areas.append(
                _area(
                    frame,
                    features[number]["rings"],
                    state.name,
                    figures[state.code],
                    reverse("monitoring:dashboard", args=["state", state.code]),
                )
            )
    for number, feature in features.items():  # a state with no schools in the portal
        if number not in drawn:
            areas.append(_area(frame, feature["rings"], feature["name"], Figures(), None))
    return {"width": frame.width, "height": frame.height, "areas": areas, "points": [], "notes": []}


def _state(cycle, state, number):
    daerahs = [f for f in geo.load("districts") if f["state"] == number]
    frame = geo.Frame(geo.union_bbox(daerahs), WIDTH)
    districts = {d.code: d for d in District.objects.filter(state=state)}
    mapping = ppd_daerah(state, number)
    figures = _figures(cycle, "district", list(districts))
    by_daerah = defaultdict(list)
    for code, daerah in mapping.items():
        if not code.startswith("+"):
            by_daerah[daerah].append(code)
    for key, code in mapping.items():
        if key.startswith("+"):
            by_daerah[int(key[1:])].append(code)
    areas, notes = [], []
    for feature in daerahs:
        codes = by_daerah.get(feature["code"], [])
        total = Figures()
        for code in codes:
            part = figures[code]
            total.schools += part.schools
            total.finished += part.finished
            total.required += part.required
            total.stars = [a + b for a, b in zip(total.stars, part.stars, strict=True)]
            total.reaching += part.reaching
            total.reporting += part.reporting
        names = [districts[c].name for c in codes]
        extra = [_("Daerah %(name)s") % {"name": feature["name"]}] if names else []
        if len(codes) > 1:
            notes.append({"daerah": feature["name"], "districts": [districts[c] for c in codes]})
        biggest = max(codes, key=lambda c: figures[c].schools, default=None)
        url = reverse("monitoring:dashboard", args=["district", biggest]) if biggest else None
        areas.append(
            _area(frame, feature["rings"], ", ".join(names) or feature["name"], total, url, extra)
        )
    missing = [districts[c] for c in districts if c not in mapping]
    return {
        "width": frame.width,
        "height": frame.height,
        "areas": areas,
        "points": [],
        "notes": notes,
        "missing": missing,
    }


STAR_BIN = {None: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
RATING_STATUS = {"provisional": gettext_lazy("provisional"), "final": gettext_lazy("final")}


def _district(cycle, node, state, number):
    mapping = ppd_daerah(state, number)
    daerah_codes = {d for k, d in mapping.items() if d is not None and (k == node.code)}
    daerah_codes |= {int(k[1:]) for k, c in mapping.items() if k.startswith("+") and c == node.code}
    daerahs = [
        f for f in geo.load("districts") if f["state"] == number and f["code"] in daerah_codes
    ]
    rows = list(
        SchoolProgress.objects.filter(cycle=cycle, district__code=node.code)
        .order_by("school__code")
        .values_list(
            "school__code",
            "school__name",
            "school__longitude",
            "school__latitude",
            "stars",
            "rating_status",
            "finished",
            "required",
        )
    )
    located = [r for r in rows if r[2] is not None and r[3] is not None]
    boxes = [f["bbox"] for f in daerahs]
    if not boxes and located:
        lons, lats = [float(r[2]) for r in located], [float(r[3]) for r in located]
        boxes = [(min(lons), min(lats), max(lons), max(lats))]
    if not boxes:
        return None
    frame = geo.Frame(geo.union_bbox([{"bbox": b} for b in boxes]), WIDTH, pad=16)
    outline = "".join(frame.path(f["rings"]) for f in daerahs)
    x0, y0, x1, y1 = geo.union_bbox([{"bbox": b} for b in boxes])
    points, outside = [], 0
    for code, name, lon, lat, stars, status, finished, required in located:
        lon, lat = float(lon), float(lat)
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            outside += 1
            continue
        x, y = frame.point(lon, lat)
        stars_text = (
            _("%(stars)s stars (%(status)s)")
            % {"stars": stars, "status": RATING_STATUS.get(status, status)}
            if stars
            else _("no rating yet")
        )
        points.append(
            {
                "x": x,
                "y": y,
                "code": code,
                "bin": STAR_BIN.get(stars, 0),
                "label": f"{code} {name}\n{stars_text}\n"
                + _("Respondents finished: %(finished)s of %(required)s")
                % {"finished": finished, "required": required},
                "url": reverse("schools:detail", args=[code]),
            }
        )
    return {
        "width": frame.width,
        "height": frame.height,
        "outline": outline,
        "daerahs": [f["name"] for f in daerahs],
        "areas": [],
        "points": points,
        "notes": [],
        "unplaced": len(rows) - len(points),
        "outside": outside,
    }
