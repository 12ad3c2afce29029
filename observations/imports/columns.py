"""How a cell of an import file becomes a Python value, and the words of coded values.

Cells are converted here, before the one validation service
(observations.validation) checks the record: a cell that cannot be read
(a coordinate that is not a number, an unknown date form, a formula) is a
problem of that cell; every domain rule is the service's. What the columns
mean is observations.imports.headers.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import Evidence, Observation, Species
from ..models.individuals import Sex
from .headers import normalise

# --- vocabularies of coded values --------------------------------------------------

_WORDS = {
    "evidence": {
        Evidence.SIGHTING: [
            "seen",
            "observation",
            "human observation",
            "humanobservation",
            "visual",
            "встреча",
            "наблюдение",
            "визуально",
            "目击",
            "目视",
            "观察",
        ],
        Evidence.CAMERA: [
            "camera trap",
            "camera",
            "machine observation",
            "machineobservation",
            "photo",
            "фотоловушка",
            "фото",
            "камера",
            "红外相机",
            "相机",
            "照片",
        ],
        Evidence.TRACK: ["tracks", "footprint", "след", "следы", "足迹", "脚印"],
        Evidence.SCAT: ["dung", "droppings", "экскременты", "помет", "粪便"],
        Evidence.NEST: ["гнездо", "巢", "鸟巢"],
        Evidence.CALL: ["voice", "song", "голос", "крик", "叫声", "鸣叫"],
        Evidence.KILL: ["prey", "carcass", "жертва", "добыча", "猎物", "捕食"],
        Evidence.HAIR: ["fur", "шерсть", "毛发"],
        Evidence.OTHER: ["другое", "прочее", "其他"],
    },
    "sex": {
        Sex.MALE: ["m", "самец", "м", "雄", "雄性", "公"],
        Sex.FEMALE: ["f", "самка", "ж", "雌", "雌性", "母"],
        Sex.UNKNOWN: ["u", "?", "undetermined", "не определен", "неизвестно", "未知", "不明"],
    },
    "age_class": {
        Observation.AgeClass.ADULT: ["ad", "взрослый", "взрослая", "взрослые", "成年", "成体"],
        Observation.AgeClass.SUBADULT: [
            "sub adult",
            "immature",
            "полувзрослый",
            "подросток",
            "亚成年",
            "亚成体",
        ],
        Observation.AgeClass.JUVENILE: ["juv", "young", "молодой", "молодая", "幼年", "幼体"],
        Observation.AgeClass.CUB: [
            "chick",
            "cub",
            "детеныш",
            "птенец",
            "сеголеток",
            "幼崽",
            "雏鸟",
            "幼仔",
        ],
        Observation.AgeClass.UNKNOWN: ["u", "?", "undetermined", "неизвестно", "未知"],
    },
    "unit": {
        Species.Unit.INDIVIDUALS: ["individual", "ind", "особи", "особь", "个体", "只", "头"],
        Species.Unit.NESTS: ["nest", "гнезда", "гнездо", "巢"],
        Species.Unit.BREEDING_PAIRS: ["breeding pair", "pairs", "пары", "пара", "繁殖对", "对"],
        Species.Unit.TRACKS: ["track", "следы", "след", "足迹"],
    },
}
_CHOICES = {
    "evidence": Evidence.choices,
    "sex": Sex.choices,
    "age_class": Observation.AgeClass.choices,
    "unit": Species.Unit.choices,
}


@functools.cache
def vocabulary(field: str) -> dict[str, str]:
    """Normalised word -> stored value: the values, their labels in our three languages,
    and the words above (Russian, Chinese, Darwin Core)."""
    words = {}
    for value, label in _CHOICES[field]:
        words[normalise(value)] = value
        for language in ("en", "ru", "zh-hans"):
            with translation.override(language):
                words.setdefault(normalise(str(label)), value)
    for value, synonyms in _WORDS[field].items():
        for word in synonyms:
            words.setdefault(normalise(word), value)
    for value, _label in _CHOICES[field]:  # as written most often: looked up without normalising
        for form in (value, value.upper(), value.capitalize()):
            words.setdefault(form, value)
    return words


def datum_value(text: str) -> str:
    key = normalise(text).replace(" ", "")
    if key in ("epsg:4326", "wgs84", "wgs1984"):
        return "WGS84"
    if key in ("gcj02", "gcj", "火星坐标", "火星坐标系"):
        return "GCJ02"
    return text.strip()  # the validation service names an unknown datum


# --- cells -------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; carries a stable code and a translated message."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


INT_MAX = 2_147_483_647  # the database's integer columns

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_RU_DATE = re.compile(
    r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
)
_CN_DATE = re.compile(
    r"(\d{4})\s*[/年.]\s*(\d{1,2})\s*[/月.]\s*(\d{1,2})\s*日?"
    r"(?:[ T]*(\d{1,2})\s*[:时]\s*(\d{2})(?:\s*[:分]\s*(\d{2})\s*秒?)?)?"
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def is_formula(text: str) -> bool:
    """A text that a spreadsheet would run as a formula (CSV injection, OWASP): it starts
    with = or @, or with + or - without being a number ("-12.5" is fine, "-2+3+cmd|..." not)."""
    first = text[0]
    if first in "=@":
        return True
    return first in "+-" and len(text) > 1 and _NUMBER.fullmatch(text) is None


def to_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).strip()


def to_float(value, field: str) -> float:
    if value.__class__ is str:
        try:
            number = float(value)  # the usual case, at C speed
        except ValueError:
            text = value.replace(" ", "").replace("\u00a0", "")
            if _NUMBER.fullmatch(text) is None:
                raise CellError("not_a_number", _NOT_NUMBER[field]) from None
            number = float(text.replace(",", "."))  # a decimal comma (Russian Excel)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise CellError("not_a_number", _NOT_NUMBER[field])
    else:
        number = float(value)
    if not math.isfinite(number):
        raise CellError("not_a_number", _NOT_NUMBER[field])
    return number


def to_int(value, field: str) -> int:
    if value.__class__ is str and value.isascii() and value.isdigit():
        number = int(value)
    else:
        number = to_float(value, field)
        if not number.is_integer():
            raise CellError("not_whole", _("Give a whole number."))
    if abs(number) > INT_MAX:
        raise CellError("too_large", _("The number is too large."))
    return int(number)


def to_choice(value, field: str) -> str:
    words = vocabulary(field)
    found = words.get(value) if value.__class__ is str else None
    if found is None:
        found = words.get(normalise(value))
    if found is None:
        allowed = ", ".join(v for v, _label in _CHOICES[field])
        raise CellError(
            f"unknown_{field}", _UNKNOWN_CHOICE[field] % {"value": value, "allowed": allowed}
        )
    return found


def to_datetime(value) -> dt.datetime:
    """ISO 8601, 31.05.2024 14:30 (Russian) or 2024/05/31 14:30 (Chinese); a spreadsheet's own
    dates as they are. A time without a zone is the PA's local time (the validation service
    makes it so); a date without a time is midnight."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _RU_DATE.fullmatch(text)
    if match:
        day, month, year, hour, minute, second, fraction = match.groups()
    else:
        match = _CN_DATE.fullmatch(text)
        if match is None:
            raise CellError("bad_datetime", _BAD_DATETIME % {"value": text[:40]})
        year, month, day, hour, minute, second = match.groups()
        fraction = None
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise CellError("bad_datetime", _BAD_DATETIME % {"value": text[:40]}) from exc


def to_time(value) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    match = _TIME.fullmatch(str(value).strip())
    if match is None:
        raise CellError(
            "bad_time", _("Unrecognised time: %(value)s. Use 14:30.") % {"value": value}
        )
    hour, minute, second = match.groups()
    try:
        return dt.time(int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise CellError(
            "bad_time", _("Unrecognised time: %(value)s. Use 14:30.") % {"value": value}
        ) from exc


_NOT_NUMBER = {
    "latitude": _("Latitude must be a number in decimal degrees, e.g. 44.95."),
    "longitude": _("Longitude must be a number in decimal degrees, e.g. 132.45."),
    "coordinate_uncertainty_m": _("Give the uncertainty as a number of metres."),
    "count": _("The count must be a whole number."),
    "count_min": _("The minimum count must be a whole number."),
    "count_max": _("The maximum count must be a whole number."),
}
_UNKNOWN_CHOICE = {
    "evidence": _("Unknown evidence “%(value)s”: use one of %(allowed)s."),
    "sex": _("Unknown sex “%(value)s”: use one of %(allowed)s."),
    "age_class": _("Unknown age class “%(value)s”: use one of %(allowed)s."),
    "unit": _("Unknown unit “%(value)s”: use one of %(allowed)s."),
}
_BAD_DATETIME = _(
    "Unrecognised date and time: %(value)s. Use 2024-05-31 14:30, 31.05.2024 14:30 "
    "or 2024/05/31 14:30."
)
NOTES_MAX = 5000
TEXT_MAX = {"id": 200, "protected_area": 40, "species": 200, "individual": 100, "event": 60}
