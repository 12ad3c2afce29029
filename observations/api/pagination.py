"""The one way the API pages a list: keyset cursors (``next``/``previous``/``results``).

A cursor costs the same at any depth and needs no COUNT(*) (see PERFORMANCE.md); a
record added meanwhile never shifts a page. ``?limit=`` asks for another page size (at
most 1000). A view names its order and page size:

    cursor_ordering = ("-created_at", "-id")   # unique, or ended by a unique field
    cursor_page_size = 50

and a view that pages by hand (an action, an APIView) makes one with
``Cursor(ordering=..., page_size=...)``, which win over the view's.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000
    ordering = ("-created_at", "-id")

    def __init__(self, ordering=None, page_size: int | None = None):
        self._ordering = tuple(ordering) if ordering else None
        self._page_size = page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.page_size = self._page_size or getattr(view, "cursor_page_size", type(self).page_size)
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        ordering = self._ordering or getattr(view, "cursor_ordering", None) or self.ordering
        return tuple(ordering)
