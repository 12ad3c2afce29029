"""Shared pieces of the camera-trap API: time and number formats, keyset pages."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


def _num(value):
    return None if value is None else float(value)


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000
