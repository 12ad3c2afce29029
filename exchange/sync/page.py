"""A feed page as the protocol says it is, and what applying pages came to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.dateparse import parse_datetime as _parse_datetime

from ..models import Node


def parse_datetime(value):
    if not value:
        return None
    parsed = _parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"bad time {value!r}")
    return parsed


class BadPage(Exception):
    """A page that is signed but not what the protocol says: nothing of it is applied."""


@dataclass
class PullResult:
    """What a page (or a pull of many) did."""

    pages: int = 0
    upserts: int = 0
    tombstones: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)


def check_page(partner: Node, page: dict, kinds) -> list[dict]:
    """The items of a signed page, or ``BadPage`` when it is not what the protocol says."""
    if not isinstance(page, dict) or page.get("protocol") != "amur-exchange-feed/1":
        raise BadPage("unknown protocol")
    if page.get("node") != partner.code or page.get("partner") != settings.NODE_CODE:
        raise BadPage("page addressed to another node")
    items = page.get("items")
    if not isinstance(items, list) or not isinstance(page.get("until"), int):
        raise BadPage("page without items or until")
    for item in items:
        if not isinstance(item, dict) or item.get("kind") not in kinds:
            raise BadPage("unknown item kind")
        if item.get("action") not in ("upsert", "delete") or not isinstance(item.get("seq"), int):
            raise BadPage("bad item")
        try:
            uuid.UUID(str(item.get("id")))
        except ValueError as exc:
            raise BadPage("bad item id") from exc
    return items
