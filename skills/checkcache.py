"""The public check's rendered result, cached per certificate and language.

A check (``GET /sijil/semak/?no=...``, and the QR code's address) shows the same card
to everyone until the certificate changes, so the card is rendered once and kept in the
cache (``RESULT_TTL``), keyed by the reference typed or the version the QR names, and
read in the same round trip as the rate limit (``skills.throttle.wait_and_read``): a
cached check reads no table. Not cached: the identity-number question (its answer
belongs to the asker, with its own limit), the rate limit, a number not found.

Kept right by the services: revoking and re-issuing replace each affected version's
entries by a short-lived marker once they commit (``certificate_changed``), and a
check stores its card with ``add`` only, so a check that read the record just before
the change cannot put the old card back while the marker stands. Changes made outside
the services (the admin site, a registry title, a centre's name) show within
``RESULT_TTL``.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

RESULT_TTL = 10 * 60  # seconds a rendered card is kept
CHANGED_TTL = 60  # seconds a changed certificate's entries stay marked (no card stored)
CHANGED = "changed"
VERSION = 1  # bump when the card's template changes shape


def _lang(language=None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE)[:5]


def reference_key(reference: str, language=None) -> str:
    return f"skills:check:card:{VERSION}:ref:{reference}:{_lang(language)}"


def version_key(pk: int, version: int, language=None) -> str:
    return f"skills:check:card:{VERSION}:pk:{int(pk)}:{int(version)}:{_lang(language)}"


def card_of(found) -> dict | None:
    """The cached card in ``found`` (a get_many value), or None (absent, marked changed)."""
    if isinstance(found, dict) and "html" in found and "reference" in found:
        return found
    return None


def entry(key: str, *, html: str, reference: str) -> tuple:
    """(key, value, seconds) of a rendered card, for ``skills.throttle.count(keep=...)``:
    added (never overwritten) in the same round trip as the rate limit's count, so a key
    marked changed keeps its mark."""
    return key, {"html": str(html), "reference": reference}, RESULT_TTL


def store(key: str, *, html: str, reference: str) -> None:
    """Keep a rendered card on its own, unless the key is marked changed (or holds one)."""
    try:
        cache.add(*entry(key, html=html, reference=reference))
    except Exception:
        logger.warning("Certificate check cache: unavailable; the card is not kept.")


def _mark(certificates) -> None:
    keys = {}
    for certificate in certificates:
        for language, _name in settings.LANGUAGES:
            keys[reference_key(certificate.reference, language)] = CHANGED
            keys[version_key(certificate.pk, certificate.version, language)] = CHANGED
    try:
        cache.set_many(keys, CHANGED_TTL)
    except Exception:
        logger.error(
            "Certificate check cache: could not mark %s as changed; the public check may show "
            "the earlier card for up to %s s.",
            ", ".join(c.reference for c in certificates), RESULT_TTL,
        )  # fmt: skip


def certificate_changed(*certificates) -> None:
    """After the transaction commits (at once outside one): the cards of ``certificates``
    are stale; mark their entries so no check keeps or reads the earlier card."""
    certificates = [c for c in certificates if c is not None]
    _mark(certificates)  # now too: a check before the commit reads the old state anyway
    transaction.on_commit(lambda: _mark(certificates))
