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
def pasr_world(world, monkeypatch):
    """The shared world in March of Y, school A with a PPKI programme; announcements recorded."""
    from pasr import events

    set_today(monkeypatch, MARCH_10)
    world.a.has_ppki = True
    world.a.save(update_fields=["has_ppki"])
    world.announced = []
    announce = [lambda school_id, year: world.announced.append((school_id, year))]
    monkeypatch.setattr(events, "SCHOOL_CHANGED", announce)
    return world
