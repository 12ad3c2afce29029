"""The Russian and Chinese catalogs are complete: no untranslated or fuzzy entry."""

from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def entries(lang):
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh)
    return catalog, [m for m in catalog if m.id]


@pytest.mark.parametrize("lang", ["ru", "zh_Hans"])
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    _, messages = entries(lang)
    assert messages
    missing = [
        m.id
        for m in messages
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert missing == []


@pytest.mark.parametrize("lang", ["ru", "zh_Hans"])
def test_placeholders_survive_translation(lang):
    catalog, messages = entries(lang)
    for message in messages:
        python_format(catalog, message)  # raises TranslationError on a mismatch
