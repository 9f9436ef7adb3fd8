"""Small instruments for tests, as the dicts a YAML file would give."""

import copy

YESNO = [
    {"value": "ya", "label": {"ms": "Ya"}, "points": 1},
    {"value": "tidak", "label": {"ms": "Tidak"}, "points": 0},
]
SCALE = [{"value": str(i), "label": {"ms": f"Tahap {i}"}, "points": i} for i in range(5)]

MINI = {
    "year": 2026,
    "indicators": [
        {"code": "usage", "weight": 40, "name": {"ms": "Penggunaan"}},
        {"code": "human_capital", "weight": 40, "name": {"ms": "Modal Insan"}},
        {"code": "applications", "weight": 10, "name": {"ms": "Aplikasi"}},
        {"code": "infrastructure", "weight": 10, "name": {"ms": "Infrastruktur"}},
    ],
    "domains": [
        {"code": "L1", "indicator": None, "name": {"ms": "Lain-lain"}},
        {"code": "U1", "indicator": "usage", "name": {"ms": "Penggunaan"}},
        {"code": "H1", "indicator": "human_capital", "name": {"ms": "Modal Insan"}},
        {"code": "A1", "indicator": "applications", "name": {"ms": "Aplikasi"}},
        {"code": "I1", "indicator": "infrastructure", "name": {"ms": "Infrastruktur"}},
    ],
    "questions": [
        {
            "code": "L1-01",
            "domain": "L1",
            "type": "number",
            "mandatory": True,
            "min": 0,
            "max": 500,
            "categories": [],
            "text": {"ms": "Bilangan komputer"},
        },
        # usage: teachers and pupils, scale 0-4
        {
            "code": "U1-01",
            "domain": "U1",
            "type": "single",
            "mandatory": True,
            "categories": ["teacher", "pupil"],
            "options": SCALE,
            "text": {"ms": "Kekerapan"},
        },
        {
            "code": "U1-02",
            "domain": "U1",
            "type": "yesno",
            "mandatory": False,
            "categories": ["teacher"],
            "options": YESNO,
            "text": {"ms": "Kongsi bahan"},
        },
        {
            "code": "U1-03",
            "domain": "U1",
            "type": "text",
            "mandatory": False,
            "categories": ["teacher", "pupil"],
            "text": {"ms": "Cadangan"},
        },
        # human capital: administrator only, multiple capped at 2
        {
            "code": "H1-01",
            "domain": "H1",
            "type": "multiple",
            "mandatory": True,
            "max_points": 2,
            "categories": ["administrator"],
            "text": {"ms": "Kemahiran"},
            "options": [
                {"value": "a", "label": {"ms": "A"}, "points": 1},
                {"value": "b", "label": {"ms": "B"}, "points": 1},
                {"value": "c", "label": {"ms": "C"}, "points": 1},
                {"value": "x", "label": {"ms": "Tiada"}, "points": 0},
            ],
        },
        # applications: coordinator, number with thresholds 0/5->2/10->4
        {
            "code": "A1-01",
            "domain": "A1",
            "type": "number",
            "mandatory": True,
            "min": 0,
            "max": 100,
            "categories": ["coordinator"],
            "text": {"ms": "Bilangan aplikasi"},
            "thresholds": [
                {"at_least": 0, "points": 0},
                {"at_least": 5, "points": 2},
                {"at_least": 10, "points": 4},
            ],
        },
        # infrastructure: coordinator, yes/no
        {
            "code": "I1-01",
            "domain": "I1",
            "type": "yesno",
            "mandatory": True,
            "categories": ["coordinator"],
            "options": YESNO,
            "text": {"ms": "Makmal"},
        },
    ],
}


def mini(**changes):
    data = copy.deepcopy(MINI)
    data.update(changes)
    return data
