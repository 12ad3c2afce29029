"""Free text on its way out: coordinates and people's names taken out of it.

A ranger writes "seen by Ivan Petrov at 44.94321 132.44321 near the hut" in a note. Shown
beside a place generalised to 10 km, that note gives the place back to six decimals and
the observer's name back to the pseudonymous observer code. ``redact`` removes both:

- coordinates in decimal degrees (``44.94321``, ``44,94321``, ``-132.4``), with or without
  a degree sign and hemisphere letters in Latin or Cyrillic (``N``, ``E``, ``с.ш.``,
  ``в.д.``), degrees-minutes(-seconds) (``44°56'35.6"N``, ``44 56.123``, ``44°56′``) and
  the Chinese markers (``北纬44.9432``, ``东经132度26分``);
- the names of this node's users (full name either way round, surname, username), the
  people who could have written or be named in a note, and the serial numbers of its
  cameras (a serial tells which station, and so where).

What is taken out is replaced by ``MARK``, so that a reader sees that something was there.
Numbers with fewer than two decimals and no degree sign (``29.5 km``, ``3 tigers``) stay:
they cannot place anything finer than the cell already shown.

``replace_names`` is the narrower pass (names only, case as typed) for text shown at an
exact place to someone outside the node; its SQL twin is ``names_expression``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

MARK = "[…]"

_HEMISPHERE = (
    r"(?:[NSEWnsew]|[СЮВЗсювз](?:\.\s?[шдШД]\.?)?"
    r"|с\.\s?ш\.?|в\.\s?д\.?|ю\.\s?ш\.?|з\.\s?д\.?)"
)
_DEGREE = r"(?:°|º|˚|度|deg\b|град\.?)"
_MINUTE = r"(?:'|′|’|分|мин\.?|min\b)"
_SECOND = r"(?:\"|″|”|''|′′|秒|сек\.?|sec\b)"
_NUM = r"\d{1,3}(?:[.,]\d+)?"
_CN_MARKER = r"(?:北纬|南纬|东经|西经|北緯|東經|N纬|E经)"

_NOT_AFTER_NUMBER = r"(?<!\d)(?:(?<![^\W\d_])[NSEWСЮВЗ]\s?)?"
_COORDINATE = re.compile(
    "|".join(
        [
            # Degrees with a degree sign, optional minutes and seconds, optional hemisphere.
            rf"{_CN_MARKER}?\s*[-+−]?{_NUM}\s*{_DEGREE}(?:\s*{_NUM}\s*{_MINUTE})?"
            rf"(?:\s*{_NUM}\s*{_SECOND})?(?:\s*{_HEMISPHERE})?",
            # A Chinese marker before any number.
            rf"{_CN_MARKER}\s*[-+−]?{_NUM}(?:\s*{_MINUTE}(?:\s*{_NUM}\s*{_SECOND}?)?)?",
            # Degrees and decimal minutes written without signs: "44 56.123".
            rf"{_NOT_AFTER_NUMBER}\d{{1,3}}\s+\d{{1,2}}[.,]\d{{2,}}(?!\d)(?:\s*{_HEMISPHERE})?",
            # Decimal degrees: two or more decimals (0.01° is about a kilometre).
            rf"{_NOT_AFTER_NUMBER}[-+−]?\d{{1,3}}[.,]\d{{2,}}(?!\d)"
            rf"(?:\s*{_HEMISPHERE}(?![^\W\d_]))?",
        ]
    )
)


@dataclass(frozen=True)
class Redacted:
    text: str
    redacted: bool  # something was taken out


def redact(text: str | None, names: tuple[str, ...] | None = None) -> Redacted:
    """``text`` without coordinates and without the names of this node's users."""
    if not text:
        return Redacted(text or "", False)
    names = known_names() if names is None else names
    out = _COORDINATE.sub(MARK, text)
    pattern = _names_pattern(names)
    if pattern is not None:
        out = pattern.sub(MARK, out)
    return Redacted(out, out != text)


def replace_names(text: str | None, names: tuple[str, ...] | None = None) -> Redacted:
    """``text`` with each name replaced by ``MARK``, in ``names``' order, case as typed: the
    very steps of ``names_expression`` so that a file the database writes says the same."""
    if not text:
        return Redacted(text or "", False)
    names = known_names() if names is None else names
    out = text
    for name in names:
        out = out.replace(name, MARK)
    return Redacted(out, out != text)


def names_expression(field: str, names: tuple[str, ...] | None = None):
    """``replace_names`` as a database expression: nested REPLACE(), one per name."""
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Replace

    names = known_names() if names is None else names
    expr = F(field)
    for name in names:
        expr = Replace(expr, Value(name), Value(MARK), output_field=TextField())
    return expr


NAMES_KEEP_S = 60
_names: dict = {"at": -NAMES_KEEP_S, "names": ()}


def forget_names(**_kwargs) -> None:
    """Read the names again on next use (a user was saved or deleted in this process)."""
    _names["at"] = -NAMES_KEEP_S


def known_names() -> tuple[str, ...]:
    """The names of this node's users that a note could hold, longest first (so that "Ivan
    Petrov" goes before "Petrov"): full names both ways round, surnames and usernames of
    three letters or more, and its cameras' serial numbers. Two queries, kept for a minute
    per process (and read again at once when a user or a camera changes here): a page of
    notes must not cost a query per note."""
    now = time.monotonic()
    if now - _names["at"] < NAMES_KEEP_S:
        return _names["names"]
    _names["names"], _names["at"] = _read_names(), now
    return _names["names"]


def _read_names() -> tuple[str, ...]:
    from django.contrib.auth import get_user_model

    found: set[str] = set()
    rows = get_user_model().objects.values_list("first_name", "last_name", "username")
    for first, last, username in rows:
        first, last = (first or "").strip(), (last or "").strip()
        if first and last:
            found.update({f"{first} {last}", f"{last} {first}", f"{last}{first}"})
        for part in (last, username):
            if len(part or "") >= 3:
                found.add(part)
        if len(first) >= 3 and not last:
            found.add(first)
    from observations.models import Deployment

    serials = Deployment.objects.exclude(camera_serial="").values_list("camera_serial", flat=True)
    found.update(s.strip() for s in serials.distinct() if len(s.strip()) >= 4)
    return tuple(sorted(found, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]):
    if not names:
        return None
    # Chinese is written without spaces: a name in CJK characters is matched anywhere, a
    # name in letters only as a whole word ("Lee" is not taken out of "Leeds").
    cjk = [re.escape(n) for n in names if _CJK.search(n)]
    words = [re.escape(n) for n in names if not _CJK.search(n)]
    parts = [f"(?<!\\w)(?:{'|'.join(words)})(?!\\w)"] if words else []
    if cjk:
        parts.append(f"(?:{'|'.join(cjk)})")
    return re.compile("|".join(parts), re.IGNORECASE)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
