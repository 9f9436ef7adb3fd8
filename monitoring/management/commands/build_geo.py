"""Write the map's simplified boundaries (static/geo/) from DOSM's open data.

    manage.py build_geo [--source ../shared/data/geo]

Reads ``administrative_1_state.geojson`` and ``administrative_2_district.geojson``
(never copied into the repository), simplifies each outline (Douglas-Peucker),
drops islands too small to see, quantises to 0.001 degree and writes
``static/geo/states.json`` and ``static/geo/districts.json``. The result is
committed; run again when DOSM publishes new boundaries.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monitoring import geo

# (tolerance, smallest island kept) in degrees and squared degrees.
STATES = (0.01, 0.002)
DISTRICTS = (0.0025, 0.0005)
SOURCE = "Department of Statistics Malaysia (DOSM), Open Data Licence: dosm-malaysia/data-open"


class Command(BaseCommand):
    help = "Write static/geo/states.json and districts.json from DOSM's boundaries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(Path(settings.BASE_DIR).parent / "shared" / "data" / "geo")
        )

    def handle(self, *args, source, **options):
        folder = Path(source)
        files = {
            "states": folder / "administrative_1_state.geojson",
            "districts": folder / "administrative_2_district.geojson",
        }
        for path in files.values():
            if not path.is_file():
                raise CommandError(f"{path} is missing: see static/geo/README.md")
        geo.GEO_DIR.mkdir(parents=True, exist_ok=True)
        for name, (tolerance, min_area) in (("states", STATES), ("districts", DISTRICTS)):
            data = json.loads(files[name].read_text(encoding="utf-8"))
            features = []
            for feature in data["features"]:
                props = feature["properties"]
                out = {"state": int(props["code_state"])}
                if name == "districts":
                    out["code"] = int(props["code_district"])
                    out["name"] = props["district"]
                else:
                    out["name"] = props["state"]
                out["rings"] = geo.simplify_geometry(feature["geometry"], tolerance, min_area)
                features.append(out)
            features.sort(key=lambda f: (f["state"], f.get("code", 0)))
            target = geo.GEO_DIR / f"{name}.json"
            target.write_text(
                json.dumps(
                    {"source": SOURCE, "unit": geo.UNIT, "features": features},
                    separators=(",", ":"),
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
            points = sum(len(r) // 2 for f in features for r in f["rings"])
            self.stdout.write(
                f"{target.name}: {len(features)} areas, {points} points, "
                f"{target.stat().st_size // 1024} KB"
            )
