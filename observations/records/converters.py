"""How a field's stored value is written on the wire and read back (the ``convert`` of a
field of observations.records.kinds): a time as UTC ISO 8601, a decimal as text, a
reference as a code, a scientific name or a UUID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dateparse import parse_date, parse_datetime

from ..timefmt import utc_iso


@dataclass(frozen=True)
class Convert:
    """A value as it is on the wire (numbers, booleans, text, the codes of choices)."""

    def out(self, record, f):
        return getattr(record, f.name)

    def into(self, value):
        return value


@dataclass(frozen=True)
class Time(Convert):
    """UTC ISO 8601 with a "Z" (observations.timefmt); read back as an aware time."""

    def out(self, record, f):
        return utc_iso(getattr(record, f.name))

    def into(self, value):
        if not value:
            return None
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ValueError(f"bad time {value!r}")
        return parsed


@dataclass(frozen=True)
class Day(Convert):
    def out(self, record, f):
        value = getattr(record, f.name)
        return value.isoformat() if isinstance(value, dt.date) else None

    def into(self, value):
        return parse_date(str(value)) if value else None


@dataclass(frozen=True)
class Number(Convert):
    """A decimal as its text, so that no float rounds an effort of 12.50 km."""

    def out(self, record, f):
        value = getattr(record, f.name)
        return None if value is None else str(value)

    def into(self, value):
        return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class ById(Convert):
    """A reference by the UUID of the record it points at (read without a query)."""

    def out(self, record, f):
        value = record.serializable_value(f.name)
        return None if value is None else str(value)


@dataclass(frozen=True)
class ByKey(Convert):
    """A reference by the referenced row's public key (a PA's code, a scientific name);
    the validation service resolves it back."""

    key: str = "code"

    def out(self, record, f):
        related = getattr(record, f.name)
        return None if related is None else getattr(related, self.key)


AS_IS, TIME, DAY, NUMBER, BY_ID = Convert(), Time(), Day(), Number(), ById()
BY_CODE, BY_NAME = ByKey("code"), ByKey("scientific_name")
