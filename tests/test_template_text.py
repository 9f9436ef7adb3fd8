"""No visible text in a template escapes translation.

makemessages only sees text inside {% translate %} and {% blocktranslate %};
words typed straight into a template stay in one language whatever the person
chose. This reads every template, drops what is translated (and scripts,
styles, template tags and variables, and elements that carry their own
``lang`` attribute, such as an official Malay name beside its English
translation), keeps the text between tags and the values of the attributes
people read or hear (aria-label, title, placeholder, alt), and flags any word
left that is not a proper name or a code.
"""

import html
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Names and acronyms that are the same in both languages; the language
# buttons' endonyms ("Bahasa Melayu", "English") are meant to stay as they are.
PROPER_NAMES = {
    "SSQS", "PIBK", "MyDesktop", "KPI", "KPM", "PDF", "CSV", "XLSX", "ICT",
    "SKM", "PPKI", "PASR", "SPMI", "Bahasa", "Melayu", "English",
}  # fmt: skip
READ_ATTRIBUTES = r"aria-label|aria-description|title|placeholder|alt"


def visible_words(source: str) -> list[str]:
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", source, flags=re.S)
    text = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", text, flags=re.S
    )
    text = re.sub(r"{%\s*block style\s*%}.*?{%\s*endblock\s*%}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    # An element in a stated language (lang="ms" beside its translation).
    text = re.sub(r"<(\w+)\b[^>]*\slang=\"[a-z]{2}\"[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    pieces = re.findall(rf"\s(?:{READ_ATTRIBUTES})=\"([^\"]*)\"", text)
    text = re.sub(r"<!--.*?-->|<[^>]*>", " ", text, flags=re.S)
    pieces.append(text)
    words = re.findall(r"[^\W\d_][\w'’-]*", html.unescape(" ".join(pieces)))
    # One letter (a band's "A", "×") or a word with digits (a school code) is no text.
    return [w for w in words if len(w) > 1 and not re.search(r"\d", w) and w not in PROPER_NAMES]


def test_the_detector_finds_hard_coded_words():
    source = (
        '{% load i18n %}<h1>{% translate "Schools" %} Profil <small lang="ms">Profil Sekolah'
        '</small></h1><nav aria-label="breadcrumb">{% blocktranslate %}x {{ n }}'
        "{% endblocktranslate %}</nav><p>SSQS BBA5008 {{ school.name }}</p>"
        "<style>td { font-weight: bold }</style>"
    )
    assert visible_words(source) == ["breadcrumb", "Profil"]


def test_no_template_has_untranslated_visible_text():
    found = {
        str(path.relative_to(TEMPLATES)): sorted(set(words))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (words := visible_words(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"words outside {{% translate %}}: {found}"
