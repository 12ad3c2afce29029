"""No template holds words that gettext cannot reach.

Every template of the project is cut into tokens by Django's own template lexer. Text
inside ``{% blocktranslate %}`` and ``{% comment %}`` blocks is set aside, every other
template tag becomes a placeholder, and what remains is read as HTML: any word in the
text of an element (outside ``<script>``, ``<style>``, ``<code>`` and ``<kbd>``) or in a
user-visible attribute is a literal that Russian and Chinese readers would see in English.
The same goes for a word given to ``default``, ``default_if_none`` or ``yesno`` as a
quoted literal instead of through ``_("...")``.

Strings that scripts show to people come from translated ``data-*`` attributes (checked
here too) or from a ``json_script`` of translated strings: the scripts themselves stay
out of the check.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template.base import DebugLexer, TokenType

ROOT = Path(settings.BASE_DIR)

# Words that are not words of any language, so nothing to translate. Keep it short:
# a unit or a label that a reader would say differently in Russian or Chinese belongs
# in the catalog instead (the templates write "{{ n }} km" through blocktranslate).
ALLOWED_WORDS = {
    # File formats and data standards, written the same way in every language.
    "CSV",
    "XLSX",
    "GeoJSON",
    "DwC",  # "DwC-A", the Darwin Core Archive
    "Camtrap",  # "Camtrap DP", the camera-trap data package standard
    "DP",
    "JPEG",
    "PNG",
    "TIFF",
    "UTF",  # "UTF-8"
    "WGS",  # "WGS-84", the coordinate datum
    "GPS",
    "EXIF",
    "API",
    "UTC",  # the time standard; pages say which times are in UTC
    # Brand and proper names.
    "OpenStreetMap",  # the map tiles' attribution, which their licence asks for as it is
}

# Elements whose content is not prose: scripts and styles (what a script shows to people
# comes from data-* attributes or json_script), code identifiers, names of keyboard keys.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd"}

# Attributes whose value people read (or hear, from a screen reader).
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "aria-description", "label"}
# An <input> of these types shows its value on the button.
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}

# Block tags whose content is not template text to check, with the tag that ends them.
SET_ASIDE = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}

PLACEHOLDER = "\x1a"  # stands for a template tag or variable: never a letter
# A variable with a quoted literal filter argument stands as one character of Unicode's
# private use area (never a letter either), which points to its literal: the literal is
# checked where the variable is shown, not where it only makes a class name.
FIRST_MARK = 0xE000
LETTERS = re.compile(
    "[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin (not × or ÷)
    "\u0400-\u04ff"  # Cyrillic
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"  # kana and CJK ideographs
)
# Catalogue codes of known animals, the examples of a code field: "RU T-12", "CN AT-033".
CATALOGUE_CODE = re.compile(r"\b(?:(?:RU|CN|MN)\s+)?[A-Z]{1,3}-\d{2,}\b")
LITERAL_FILTER_ARGUMENT = re.compile(
    r"\|\s*(?:default|default_if_none|yesno)\s*:\s*(?P<q>[\"'])(?P<text>.*?)(?P=q)"
)
PATH_OR_URL = re.compile(r"^(?:/|[a-z][a-z0-9+.-]*://|#|\?)\S*$")


@dataclass(frozen=True)
class Literal:
    path: str
    line: int
    where: str
    text: str

    def __str__(self) -> str:
        found = " ".join(words(self.text))
        return f"{self.path}:{self.line}: {self.where}: {found!r} in {self.text!r}"


def words(text: str) -> list[str]:
    """The words of ``text`` that are neither allowed nor codes."""
    return [w for w in LETTERS.findall(CATALOGUE_CODE.sub(" ", text)) if w not in ALLOWED_WORDS]


def shown(text: str) -> str:
    """``text`` as the report shows it: template tags as {…}, whitespace squeezed."""
    return " ".join(re.sub("[\x1a\ue000-\uf8ff]", " {…} ", text).split())


def project_templates() -> list[Path]:
    """The project's own templates: TEMPLATES' DIRS and the templates/ of its local apps."""
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for app in apps.get_app_configs():
        app_path = Path(app.path)
        if app_path.is_relative_to(ROOT) and ".venv" not in app_path.parts:
            folders.append(app_path / "templates")
    found = set()
    for folder in folders:
        if folder.is_dir():
            found |= {*folder.rglob("*.html"), *folder.rglob("*.txt")}
    return sorted(found)


def as_html(source: str) -> tuple[str, list[str]]:
    """The template as HTML: each template tag replaced by a placeholder (or a mark) that
    keeps the tag's newlines, so that line numbers stay right, and the text set aside
    blanked out; with the literal filter arguments the marks point to."""
    out, literals, closing = [], [], None
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        raw = source[start:end]
        kept_newlines = "\n" * raw.count("\n")
        if token.token_type is TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if closing is None and name in SET_ASIDE:
                closing = SET_ASIDE[name]
            elif name == closing:
                closing = None
        if closing is not None or token.token_type is TokenType.COMMENT:
            out.append(PLACEHOLDER + kept_newlines)
        elif token.token_type is TokenType.TEXT:
            out.append(raw)
        else:
            found = [m.group("text") for m in LITERAL_FILTER_ARGUMENT.finditer(token.contents)]
            if any(words(text) for text in found):
                literals.append(" / ".join(found))
                out.append(chr(FIRST_MARK + len(literals) - 1) + kept_newlines)
            else:
                out.append(PLACEHOLDER + kept_newlines)
    return "".join(out), literals


class LiteralFinder(HTMLParser):
    def __init__(self, path: str, literals: list[str]):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.literals = literals
        self.found: list[Literal] = []
        self.skipping: list[str] = []

    def report(self, line: int, where: str, text: str) -> None:
        if words(text):
            self.found.append(Literal(self.path, line, where, shown(text)))
        for char in text:
            if FIRST_MARK <= ord(char) < FIRST_MARK + len(self.literals):
                literal = self.literals[ord(char) - FIRST_MARK]
                self.found.append(Literal(self.path, line, f"{where}, filter argument", literal))

    def check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            visible = name in VISIBLE_ATTRIBUTES
            visible |= (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUT_TYPES
            )
            # Data attributes carry what scripts show; addresses and paths are not text.
            visible |= name.startswith("data-") and not PATH_OR_URL.match(value)
            if visible:
                self.report(line, f"<{tag} {name}>", value)

    def handle_starttag(self, tag, attrs):
        self.check_attributes(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.check_attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_data(self, data):
        if self.skipping:
            return
        line = self.getpos()[0]
        for offset, text_line in enumerate(data.split("\n")):
            self.report(line + offset, "text", text_line)


def literals_of(path: Path, root: Path = ROOT) -> list[Literal]:
    html, literals = as_html(path.read_text(encoding="utf-8"))
    finder = LiteralFinder(str(path.relative_to(root)), literals)
    finder.feed(html)
    finder.close()
    return finder.found


TEMPLATES = project_templates()


def test_the_project_templates_are_found():
    names = {str(p.relative_to(ROOT)) for p in TEMPLATES}
    assert "templates/base.html" in names
    assert "templates/observations/record_form.html" in names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_a_template_has_no_untranslatable_literal(path):
    """Every word people see goes through {% translate %} or {% blocktranslate %}."""
    assert [str(lit) for lit in literals_of(path)] == []


# --- the checker itself -------------------------------------------------------------------


def check(source: str, tmp_path) -> list[tuple[int, str, str]]:
    path = tmp_path / "t.html"
    path.write_text(source, encoding="utf-8")
    return [(lit.line, lit.where, lit.text) for lit in literals_of(path, root=tmp_path)]


def test_the_checker_finds_text_attributes_and_filter_literals(tmp_path):
    source = (
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "<p>Plain words</p>\n"
        '<input placeholder="Why not" value="x">\n'
        '<input type="submit" value="Go">\n'
        "{% if x %}\nДа{% else %}是{% endif %}\n"
        '<a title="{% translate \'Fine\' %}" data-msg="oops">{{ x|default:"none" }}</a>\n'
        '<span data-api="/api/v1/" aria-label="{{ label }}">&nbsp;·&copy;→ 12 % × 3</span>\n'
    )
    assert check(source, tmp_path) == [
        (2, "text", "Plain words"),
        (3, "<input placeholder>", "Why not"),
        (4, "<input value>", "Go"),
        (6, "text", "Да {…} 是 {…}"),
        (7, "<a data-msg>", "oops"),
        (7, "text, filter argument", "none"),
    ]


def test_the_checker_sets_aside_translations_comments_scripts_codes_and_allowed_words(tmp_path):
    source = (
        "{% load i18n %}{% blocktranslate with n=n %}{{ n }} words\nmore{% plural %}"
        "{{ n }} x{% endblocktranslate %}\n"
        "{% comment %}Notes to ourselves{% endcomment %}{# and these #}<!-- and these -->\n"
        '<script>var words = "in a script";</script><style>p { color: red; }</style>\n'
        "<p>CSV · XLSX · GeoJSON · <kbd>Enter</kbd> <code>occurrenceID</code></p>\n"
        '{{ x|default:_("none") }}{{ y|date:"Y-m-d" }}{{ z|yesno:"1,0" }}\n'
        '<div class="flag-{{ flag.decision|default:\'open\' }}" data-api="/api/v1/x/">\n'
        '<input placeholder="RU T-12"><input placeholder="CN AT-033"></div>\n'
    )
    assert check(source, tmp_path) == []
