"""SSQS rules that are not scoring: who must answer, and tag numbers. Pure."""

import secrets

# Seed 000, "Responden": 1 pentadbir, 1 koordinator, 30 guru, 30 murid; for SKM
# (under 150 pupils): 1 pentadbir, 1 guru penyelaras ICT, at least 6 guru
# (one per subject), at least 6 murid (one per subject).
REQUIRED_RESPONDENTS = {
    False: {"administrator": 1, "coordinator": 1, "teacher": 30, "pupil": 30},
    True: {"administrator": 1, "coordinator": 1, "teacher": 6, "pupil": 6},
}
# Only SKM schools' rosters are "at least": they may add teachers and pupils.
EXTRA_ALLOWED = {True: ("teacher", "pupil"), False: ()}

# No look-alikes: no 0/O, 1/I/L. 31 symbols, 8 of them: 39.6 bits.
TAG_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TAG_LENGTH = 8


def required_respondents(is_skm: bool) -> dict:
    """Return the number of respondents required per category."""
    return dict(REQUIRED_RESPONDENTS[bool(is_skm)])


def new_tag() -> str:
    """Return a random tag number (cryptographically random, not sequential)."""
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


def new_tags(count: int, taken=()) -> list[str]:
    """Return ``count`` distinct new tags, none of them in ``taken``."""
    tags, taken = [], set(taken)
    while len(tags) < count:
        tag = new_tag()
        if tag not in taken:
            taken.add(tag)
            tags.append(tag)
    return tags


def normalize_tag(text: str) -> str | None:
    """Return a typed tag in stored form, or None if it cannot be one.

    Spaces and dashes are dropped and case ignored; the look-alikes a person
    may type for a symbol that is not used (O for 0 is never valid) fail.
    """
    tag = "".join((text or "").split()).replace("-", "").upper()
    if len(tag) != TAG_LENGTH or any(c not in TAG_ALPHABET for c in tag):
        return None
    return tag
