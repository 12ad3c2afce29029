"""Names of the things a summary speaks of, in the active language: species, protected
areas, countries, periods, scopes, bases. The figures hold codes and the names in the
three languages; these pick and word them."""

from __future__ import annotations

from babel.lists import format_list
from django.utils import translation
from django.utils.translation import gettext as _

from observations.camera.abundance import SEASONS
from observations.models import Country, Species

from .formatting import locale


def _suffix() -> str:
    language = (translation.get_language() or "en").lower()
    return "zh" if language.startswith("zh") else language[:2]


def name(item: dict | None) -> str:
    """``name_<lang>`` of a dict of names, falling back to English."""
    if not item:
        return ""
    return item.get(f"name_{_suffix()}") or item.get("name_en") or item.get("code", "")


def country(code: str) -> str:
    try:
        return str(Country(code).label)
    except ValueError:
        return code


def unit(value: str) -> str:
    try:
        return str(Species.Unit(value).label)
    except ValueError:
        return value


def joined(items: list[str]) -> str:
    """A list as the language writes one: "A, B и C", "A、B和C", "A, B, and C"."""
    items = [i for i in items if i]
    if not items:
        return ""
    return format_list(items, locale=locale())


def period(data: dict) -> str:
    if data["kind"] == "year":
        return str(data["year"])
    if data["kind"] == "season":
        return _("%(season)s %(year)s") % {
            "season": str(SEASONS.get(data["season"], data["season"])),
            "year": data["year"],
        }
    return name(data.get("campaign")) or data["key"]


def scope(data: dict) -> str:
    if data["kind"] == "joint":
        return _("both sides of the border")
    if data["kind"] == "country":
        return country(data["country"])
    return name(data["pa"])


def basis(value: str) -> str:
    return {
        "census": _("census count"),
        "individuals": _("known individuals"),
        "records": _("peak count"),
    }.get(value, value)
