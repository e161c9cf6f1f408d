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


class WindowedList:
    """What a Paginator pages through when one query gives a page's items with the total
    beside them. A subclass says how to read a window (`_fetch`: the items and the total they
    carry, None when there are no items), how to count without one (`_count`, past the last
    page), and what a window's items become for the page (`_materialise`)."""

    def __init__(self, offset: int, limit: int) -> None:
        self._offset, self._limit = offset, limit  # the page asked for: read with its total
        self._items: list[Any] | None = None
        self._read = 0  # how many items were asked for at _offset
        self._total: int | None = None

    def _fetch(self, offset: int, limit: int) -> tuple[list[Any], int | None]:
        raise NotImplementedError

    def _count(self) -> int:
        raise NotImplementedError

    def _materialise(self, items: list[Any]) -> list[Any]:
        return items

    def _window(self, offset: int, limit: int) -> None:
        items, total = self._fetch(offset, limit)
        self._offset, self._read, self._items = offset, limit, items
        if total is not None:
            self._total = total
        elif offset == 0:
            self._total = 0

    def count(self) -> int:
        if self._total is None and self._items is None:
            self._window(self._offset, self._limit)
        if self._total is None:  # past the last page: Paginator will ask for the last one
            self._total = self._count()
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
        if self._items is None or start != self._offset or stop - start > self._read:
            self._window(start, stop - start)
        assert self._items is not None
        return self._materialise(self._items[: stop - start])


class _Windowed(WindowedList):
    """An ordered queryset: each row carries COUNT(*) OVER ()."""

    def __init__(self, queryset: QuerySet[Any], offset: int, limit: int) -> None:
        super().__init__(offset, limit)
        self._queryset = queryset

    def _fetch(self, offset: int, limit: int) -> tuple[list[Any], int | None]:
        rows = list(self._queryset.annotate(**{_TOTAL: Window(Count("pk"))})
                    [offset:offset + limit])
        return rows, (getattr(rows[0], _TOTAL) if rows else None)

    def _count(self) -> int:
        return self._queryset.count()


def windowed_page(queryset: QuerySet[Any], number: Any, size: int) -> Page:
    """Page `number` of an ordered queryset, as Paginator.get_page answers it (the first page
    for something that is not a number, the last for one out of range)."""
    offset = (number - 1) * size if isinstance(number, int) and number > 0 else 0
    return Paginator(_Windowed(queryset, offset, size), size).get_page(number)
