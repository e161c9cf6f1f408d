"""windowed_page: the same pages as Django's Paginator, in one query per page."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.core.paging import windowed_page
from ettervern.demo.seeding import seed
from ettervern.pathways.models import PathwayEvent


@pytest.mark.django_db
@pytest.mark.parametrize("number", [1, 2, 3, 999, 0, -1, "x"])
def test_the_same_page_as_the_paginator(number) -> None:  # type: ignore[no-untyped-def]
    seed(patients=3, seed=2)
    events = PathwayEvent.objects.order_by("-at", "-id")
    total = events.count()
    size = max(total // 3 + 1, 1)
    want = Paginator(events, size).get_page(number)
    with CaptureQueriesContext(connection) as queries:
        got = windowed_page(events, number, size)
        rows = list(got.object_list)
    assert [e.pk for e in rows] == [e.pk for e in want.object_list]
    assert (got.number, got.paginator.count, got.paginator.num_pages) == (
        want.number, want.paginator.count, want.paginator.num_pages)
    # One query for a page that exists (or "x": the first); for a number below 1 the first
    # page's read and the last page; past the last page a count as well.
    assert len(queries) == {1: 1, 2: 1, 3: 1, "x": 1, 0: 2, -1: 2, 999: 3}[number]


@pytest.mark.django_db
def test_an_empty_list_is_one_empty_page() -> None:
    with CaptureQueriesContext(connection) as queries:
        page = windowed_page(PathwayEvent.objects.order_by("id"), 1, 10)
        assert list(page.object_list) == []
    assert page.paginator.count == 0 and page.number == 1 and len(queries) == 1
