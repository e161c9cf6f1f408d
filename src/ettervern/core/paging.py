"""A page of a list and its total in one query.

Django's Paginator asks for the total (COUNT) and then for the page's rows: two queries for
every list page. `windowed_page` gives Paginator an object list that reads the page's rows
with the total beside them (COUNT(*) OVER ()), in one query, on either database. Past the last
page (no rows to carry the total) it counts on its own, and Paginator goes to the last page, as
`get_page` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "_windowed_total"


class _Windowed:
    def __init__(self, queryset: QuerySet[Any], offset: int, limit: int) -> None:
        self._queryset = queryset
        self._offset, self._limit = offset, limit
        self._rows: list[Any] | None = None
        self._total: int | None = None

    def _read(self, offset: int, limit: int) -> list[Any]:
        rows = list(self._queryset.annotate(**{_TOTAL: Window(Count("pk"))})
                    [offset:offset + limit])
        if rows:
            self._total = getattr(rows[0], _TOTAL)
        elif offset == 0:
            self._total = 0
        return rows

    def count(self) -> int:
        if self._total is None and self._rows is None:
            self._rows = self._read(self._offset, self._limit)
        if self._total is None:
            self._total = self._queryset.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[0:self.count()])

    @overload
    def __getitem__(self, window: int) -> Any: ...

    @overload
    def __getitem__(self, window: slice) -> list[Any]: ...

    def __getitem__(self, window: int | slice) -> Any:
        if isinstance(window, int):
            return self[window:window + 1][0]
        start, stop = window.start or 0, window.stop
        if start == self._offset and self._rows is not None and stop - start <= self._limit:
            return self._rows[: stop - start]
        return self._read(start, stop - start)


def windowed_page(queryset: QuerySet[Any], number: Any, size: int) -> Page:
    """Page `number` of an ordered queryset, as Paginator.get_page answers it (the first page
    for something that is not a number, the last for one out of range)."""
    offset = (number - 1) * size if isinstance(number, int) and number > 0 else 0
    return Paginator(_Windowed(queryset, offset, size), size).get_page(number)
