"""`ettervern seed --scale tiny` stopped in the middle: whole chunks only, and the next run
continues with the missing ones, never writing one twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from ettervern.access.models import AuditEvent
from ettervern.demo.bulk import store
from ettervern.demo.bulk.scales import SCALES
from ettervern.demo.models import SeedChunk
from ettervern.pathways.models import Pathway, PathwayEvent
from ettervern.patients.models import Patient

TINY = SCALES["tiny"]


class Stop(Exception):
    pass


@pytest.fixture(scope="module")
def interrupted(module_transaction):  # type: ignore[no-untyped-def]
    """The run fails while writing the last chunk's audit rows (after its other tables)."""
    original = store.Writer.write
    audits = 0

    def write(self, table, rows):  # type: ignore[no-untyped-def]
        nonlocal audits
        if table is store.AUDIT:
            audits += 1
            if audits == TINY.chunks:
                raise Stop
        return original(self, table, rows)

    store.Writer.write = write  # type: ignore[method-assign]
    try:
        with pytest.raises(Stop):
            call_command("seed", "--scale", "tiny", stdout=StringIO(), stderr=StringIO())
    finally:
        store.Writer.write = original  # type: ignore[method-assign]


def test_only_whole_chunks_are_left(interrupted, db):
    chunks = list(SeedChunk.objects.values_list("number", flat=True))
    assert chunks == list(range(TINY.chunks))
    written = SeedChunk.objects.filter(number__gt=0)
    assert Pathway.objects.count() == sum(c.pathways for c in written) == 200
    assert AuditEvent.objects.count() == sum(c.audit_rows for c in written)
    assert not PathwayEvent.objects.exclude(pathway__in=Pathway.objects.all()).exists()


def test_the_next_run_continues_and_completes(interrupted, db):
    out = StringIO()
    call_command("seed", "--scale", "tiny", stdout=out, stderr=StringIO())
    assert "1 piece written, 3 pieces there already" in out.getvalue()
    assert list(SeedChunk.objects.values_list("number", flat=True)) == [0, 1, 2, 3]
    assert Pathway.objects.count() == TINY.pathways
    assert AuditEvent.objects.count() == TINY.audit_rows
    assert not Patient.objects.values("national_id").annotate(n=Count("id")) \
        .filter(n__gt=1).exists()
