"""Bookkeeping of `ettervern seed --scale`: which pieces of a data set are written."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SeedChunk(models.Model):
    """One finished piece of a bulk-seeded data set: the directory (number 0) or a chunk of
    pathways. Written in the same transaction as the piece's rows, so a rerun knows exactly what
    is there: it skips these and never writes a piece twice."""

    scale = models.CharField(max_length=16)
    seed = models.BigIntegerField()
    number = models.PositiveIntegerField()
    # The data set's present moment: a resumed run dates its pieces from the same day.
    now = models.DateTimeField()
    pathways = models.PositiveIntegerField(default=0)
    audit_rows = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="seedchunk_once")]

    def __str__(self) -> str:
        return f"{self.scale} #{self.number}"
