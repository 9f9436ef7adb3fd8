import pytest


@pytest.fixture
def english(settings):
    """Pages in English for the tests that read their words (Malay is the default)."""
    settings.LANGUAGE_CODE = "en"
