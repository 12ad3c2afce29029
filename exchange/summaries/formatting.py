"""Numbers and dates as each language writes them, through Babel (CLDR): 12 345,7 and
5 марта 2025 г. in Russian, 12,345.7 and 2025年3月5日 in Chinese, 12,345.7 and March 5, 2025
in English. The language is the active one (``translation.override`` per column)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django.utils import translation

BABEL_LOCALES = {"en": "en", "ru": "ru", "zh-hans": "zh_Hans_CN"}
DASH = "—"


def locale() -> str:
    language = (translation.get_language() or "en").lower()
    if language.startswith("zh"):
        return BABEL_LOCALES["zh-hans"]
    return BABEL_LOCALES.get(language[:2], "en")


def number(value, decimals: int = 0) -> str:
    """A count or a rate; ``None`` (not known, not applicable) is a dash."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale())


def percent(share: float | None, decimals: int = 0) -> str:
    """``share`` from 0 to 1 as a percentage (the sign placed as the language places it)."""
    if share is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_decimal(share, format=pattern, locale=locale())


def signed_percent(change: float | None) -> str:
    if change is None:
        return DASH
    text = percent(abs(change))
    return ("+" if change > 0 else "−" if change < 0 else "±") + text


def date(value: dt.date | str | None) -> str:
    if value in (None, ""):
        return DASH
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, format="long", locale=locale())


def moment(value: dt.datetime | str | None, zone=dt.UTC) -> str:
    """A date and time (stored in UTC) in ``zone``, with the zone's name."""
    if value in (None, ""):
        return DASH
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    text = format_datetime(value, format="medium", tzinfo=zone, locale=locale())
    return f"{text} {'UTC' if zone is dt.UTC else getattr(zone, 'key', '')}".strip()
