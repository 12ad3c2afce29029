"""What the columns of an import file mean: our template's headers in English, Russian and
Chinese, Darwin Core terms, and the other headers people write.

Headers are matched case-insensitively after Unicode normalisation (NFKC, so
full-width Chinese brackets count as ASCII ones; "ё" as "е"; "_" and "-" as
spaces). Darwin Core: https://dwc.tdwg.org/terms/.
"""

from __future__ import annotations

import functools
import unicodedata

from django.utils import translation

# The columns of our template, in template order.
FIELDS = [
    "id",
    "protected_area",
    "species",
    "observed_at",
    "latitude",
    "longitude",
    "datum",
    "coordinate_uncertainty_m",
    "count",
    "count_min",
    "count_max",
    "unit",
    "evidence",
    "sex",
    "age_class",
    "individual",
    "event",
    "notes",
]
# Not a model field: Darwin Core's eventTime, joined to a date-only eventDate.
TIME = "time"

TEMPLATE_HEADERS = {
    "en": {field: field for field in FIELDS},
    "ru": {
        "id": "идентификатор",
        "protected_area": "охраняемая территория",
        "species": "вид",
        "observed_at": "дата и время",
        "latitude": "широта",
        "longitude": "долгота",
        "datum": "система координат",
        "coordinate_uncertainty_m": "точность (м)",
        "count": "количество",
        "count_min": "минимум",
        "count_max": "максимум",
        "unit": "единица учёта",
        "evidence": "тип регистрации",
        "sex": "пол",
        "age_class": "возраст",
        "individual": "особь",
        "event": "учёт",
        "notes": "примечания",
    },
    "zh": {
        "id": "编号",
        "protected_area": "保护地",
        "species": "物种",
        "observed_at": "观察时间",
        "latitude": "纬度",
        "longitude": "经度",
        "datum": "坐标系",
        "coordinate_uncertainty_m": "坐标精度（米）",
        "count": "数量",
        "count_min": "最少数量",
        "count_max": "最多数量",
        "unit": "计数单位",
        "evidence": "证据类型",
        "sex": "性别",
        "age_class": "年龄",
        "individual": "个体",
        "event": "调查事件",
        "notes": "备注",
    },
}

DARWIN_CORE = {
    "occurrenceID": "id",
    "locationID": "protected_area",
    "scientificName": "species",
    "eventDate": "observed_at",
    "eventTime": TIME,
    "decimalLatitude": "latitude",
    "decimalLongitude": "longitude",
    "geodeticDatum": "datum",
    "coordinateUncertaintyInMeters": "coordinate_uncertainty_m",
    "individualCount": "count",
    "organismQuantityType": "unit",
    "basisOfRecord": "evidence",
    "sex": "sex",
    "lifeStage": "age_class",
    "organismID": "individual",
    "eventID": "event",
    "occurrenceRemarks": "notes",
}

# Other headers people write.
ALIASES = {
    "id": ["uuid", "record id", "ид", "id записи", "记录编号"],
    "protected_area": [
        "pa",
        "protected area code",
        "pa code",
        "оопт",
        "код оопт",
        "保护区",
        "保护地代码",
    ],
    "species": ["scientific name", "taxon", "вид животного", "латинское название", "种名"],
    "observed_at": [
        "date",
        "date and time",
        "datetime",
        "time observed",
        "дата",
        "дата/время",
        "время наблюдения",
        "日期",
        "时间",
        "观测时间",
    ],
    "latitude": ["lat", "y"],
    "longitude": ["lon", "lng", "long", "x"],
    "datum": ["coordinate system", "crs", "датум", "坐标系统"],
    "coordinate_uncertainty_m": ["uncertainty", "accuracy", "точность", "погрешность (м)", "精度"],
    "count": ["number", "individuals", "число", "кол-во", "численность", "只数"],
    "count_min": ["min", "minimum count", "минимальное количество", "最少"],
    "count_max": ["max", "maximum count", "максимальное количество", "最多"],
    "unit": ["counting unit", "единица", "单位"],
    "evidence": ["evidence type", "признак", "тип встречи", "证据", "记录类型"],
    "sex": ["性別"],
    "age_class": ["age", "age class", "возрастной класс", "年龄段"],
    "individual": ["individual code", "код особи", "个体编号"],
    "event": ["survey event", "событие", "маршрут", "调查"],
    "notes": ["note", "remarks", "comment", "comments", "примечание", "комментарий", "说明"],
}


def normalise(text) -> str:
    """A header or a vocabulary word as compared: NFKC, lower case, ё as е, one space."""
    text = unicodedata.normalize("NFKC", str(text)).lower().replace("ё", "е")
    text = text.replace("\ufeff", "").replace("_", " ").replace("-", " ")
    return " ".join(text.split()).strip("\"' ")


@functools.cache
def header_map() -> dict[str, str]:
    """Normalised header -> field name."""
    found = {}
    for headers in TEMPLATE_HEADERS.values():
        for name, header in headers.items():
            found[normalise(header)] = name
    for name, words in ALIASES.items():
        for word in words:
            found.setdefault(normalise(word), name)
    for term, name in DARWIN_CORE.items():
        found[normalise(term)] = name
    return found


def template_headers(language: str) -> list[str]:
    return [TEMPLATE_HEADERS[language][f] for f in FIELDS]


def template_language(language: str | None) -> str:
    lang = (language or "en").lower()
    return "zh" if lang.startswith("zh") else lang[:2] if lang[:2] in TEMPLATE_HEADERS else "en"


def column_label(field: str) -> str:
    """The name of a column the file does not have, in the user's language (for messages)."""
    lang = template_language(translation.get_language())
    return TEMPLATE_HEADERS[lang].get(field, field)
