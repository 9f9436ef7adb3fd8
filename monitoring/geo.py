"""Malaysia's boundaries for the officers' map: simplify, encode, decode, project. Pure.

The boundaries are DOSM's open data (``../shared/data/geo``); ``build_geo``
writes a simplified, quantised derivative to ``static/geo/`` with this module,
and the map reads it back (``load``). Coordinates are stored as integers of
``UNIT`` degrees, each ring as its first point then the steps between points,
so a state's outline is a few hundred small numbers.
"""

import json
from functools import lru_cache
from pathlib import Path

UNIT = 0.001  # degrees (about 110 m): finer than any map drawn here can show
GEO_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"


def simplify(points, tolerance):
    """Return ``points`` (a ring or a line) simplified by Douglas-Peucker.

    Keeps the first and last point, and every point farther than
    ``tolerance`` from the chord of the stretch it lies on. Iterative, so a
    long coastline does not hit the recursion limit.
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tolerance2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d2 > worst:
                worst, index = d2, i
        if index is not None and worst > tolerance2:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring):
    """Return a ring's area (shoelace formula, in squared degrees, unsigned)."""
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def encode_ring(ring):
    """Return a ring as [x0, y0, dx1, dy1, ...] in integer ``UNIT``s, repeated points dropped."""
    out, last = [], None
    for lon, lat in ring:
        point = (round(lon / UNIT), round(lat / UNIT))
        if point == last:
            continue
        if last is None:
            out += point
        else:
            out += [point[0] - last[0], point[1] - last[1]]
        last = point
    return out


def decode_ring(numbers):
    """Return the (longitude, latitude) points of an encoded ring."""
    x, y, points = 0, 0, []
    for i in range(0, len(numbers), 2):
        x, y = x + numbers[i], y + numbers[i + 1]
        points.append((x * UNIT, y * UNIT))
    return points


def simplify_geometry(geometry, tolerance, min_area):
    """Return a GeoJSON (Multi)Polygon as encoded rings: outer rings only, small islands dropped.

    Holes are left out (none of the states or districts has one worth drawing
    at this scale). The largest ring always stays, so no area disappears.
    """
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = [[tuple(p) for p in polygon[0]] for polygon in polygons]
    rings.sort(key=ring_area, reverse=True)
    out = []
    for n, ring in enumerate(rings):
        if n and ring_area(ring) < min_area:
            continue
        simple = simplify(ring[:-1] if ring[0] == ring[-1] else ring, tolerance)
        if len(simple) >= 3:
            out.append(encode_ring(simple))
    return out


@lru_cache(maxsize=2)
def load(name):
    """Return the features of ``static/geo/<name>.json`` with decoded rings (read once)."""
    data = json.loads((GEO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        rings = [decode_ring(r) for r in feature["rings"]]
        xs = [x for ring in rings for x, _y in ring]
        ys = [y for ring in rings for _x, y in ring]
        features.append({**feature, "rings": rings, "bbox": (min(xs), min(ys), max(xs), max(ys))})
    return features


def contains(feature, lon, lat):
    """Return whether the point lies inside one of the feature's rings (even-odd rule)."""
    x0, y0, x1, y1 = feature["bbox"]
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    for ring in feature["rings"]:
        inside = False
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
        if inside:
            return True
    return False


class Frame:
    """An equirectangular projection of a box onto a ``width`` x ``height`` picture.

    At Malaysia's latitudes (1 to 7 degrees north) a degree of longitude is
    within 1% of a degree of latitude, so one scale keeps the shapes.
    """

    def __init__(self, bbox, width=800, pad=8):
        x0, y0, x1, y1 = bbox
        span_x, span_y = max(x1 - x0, 0.01), max(y1 - y0, 0.01)
        self.scale = (width - 2 * pad) / span_x
        self.width = width
        self.height = round(span_y * self.scale + 2 * pad)
        self.x0, self.y1, self.pad = x0, y1, pad

    def point(self, lon, lat):
        return (
            round((lon - self.x0) * self.scale + self.pad, 1),
            round((self.y1 - lat) * self.scale + self.pad, 1),
        )

    def path(self, rings):
        """Return an SVG path string for the rings (relative steps keep it short)."""
        parts = []
        for ring in rings:
            points = [self.point(x, y) for x, y in ring]
            steps, (px, py) = [], points[0]
            for x, y in points[1:]:
                if (x, y) != (px, py):
                    steps.append(f"{_n(x - px)} {_n(y - py)}")
                px, py = x, y
            parts.append(f"M{_n(points[0][0])} {_n(points[0][1])}l" + " ".join(steps) + "z")
        return "".join(parts)


def _n(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def union_bbox(features):
    boxes = [f["bbox"] for f in features]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
