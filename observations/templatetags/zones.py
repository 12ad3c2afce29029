"""Time zones as people name them: ``{{ pa.time_zone|zone_name }}``.

A zone is stored by its tz database name ("Asia/Vladivostok"), which is an identifier,
not a word of any language. Pages name it by its city in the reader's language (from
CLDR, through Babel) and its offset from UTC: "Владивосток, UTC+10", "上海, UTC+8".
"""

import datetime as dt
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone, get_timezone_location
from django import template
from django.utils import translation

register = template.Library()


def utc_offset(zone: zoneinfo.ZoneInfo, when: dt.datetime | None = None) -> str:
    """ "UTC+10", "UTC+5:30", "UTC" for the zone's offset at ``when`` (now by default)."""
    offset = (when or dt.datetime.now(dt.UTC)).astimezone(zone).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def zone_name(name: str) -> str:
    """The zone's city in the active language and its UTC offset; an unknown zone as it is."""
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return name
    if "/" not in name or name.startswith("Etc/"):  # "UTC", "Etc/GMT-10": no city
        return utc_offset(zone)
    try:
        locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    city = get_timezone_location(get_timezone(name), locale=locale, return_city=True)
    return f"{city}, {utc_offset(zone)}"
