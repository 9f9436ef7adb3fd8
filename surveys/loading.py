"""Loading an SSQS instrument (the yearly questionnaire) from its file."""

import hashlib
import json
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from . import bulk
from .instrument import InstrumentError, parse_instrument
from .models import (
    Instrument,
)


def instrument_path(year: int) -> Path:
    return Path(settings.SSQS_INSTRUMENTS_DIR) / f"ssqs-{year}.yaml"


def read_instrument_file(path: Path) -> dict:
    """Return the mapping in a YAML or JSON instrument file."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return json.loads(text) if Path(path).suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InstrumentError(
            [f"{path}: not valid {Path(path).suffix[1:].upper()}: {exc}"]
        ) from exc


@transaction.atomic
def instrument_load(*, path: Path) -> Instrument:
    """Load or update the instrument of the file's year, after validating it all."""
    data = read_instrument_file(path)
    spec = parse_instrument(data)  # raises InstrumentError naming every problem
    canonical = json.loads(json.dumps(data, default=str))
    checksum = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
    before = Instrument.objects.filter(year=spec.year).values_list("checksum", flat=True).first()
    instrument, _created = Instrument.objects.update_or_create(
        year=spec.year,
        defaults={"data": canonical, "checksum": checksum, "source": Path(path).name},
    )
    if before is not None and before != checksum:
        # Options, thresholds or categories may have changed: the points stored
        # with the answers must follow, before any rating adds them up.
        for cycle_id in instrument.cycles.values_list("pk", flat=True):
            bulk.points_refresh(cycle_id, spec)
    return instrument
