"""SPMI's writes, one module per purpose. A refused act raises ``Refused`` and saves nothing."""


class Refused(Exception):
    """The act is refused; ``errors`` is a list of (field or None, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(str(m) for _f, m in errors))
        self.errors = errors
