"""SPMI's writes, one module per purpose. A refused act raises ``Refused`` and saves nothing."""


class Refused(Exception):
    """The act is refused; ``errors`` is a list of (field or None, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(str(m) for _f, m in errors))
        self.errors = errors


def evidence_attach(upload, *, school_id, by, rating=None, progress=None):
    """Keep a checked evidence file (``spmi.evidence.EvidenceField``) with its rating or update."""
    if not upload:
        return None
    from ..evidence import clean_name
    from ..models import EvidenceFile

    name = clean_name(upload.name)
    upload.name = name
    return EvidenceFile.objects.create(school_id=school_id, rating=rating, progress=progress,
                                       kind=upload.evidence_kind, name=name, size=upload.size,
                                       file=upload, by=by)  # fmt: skip
