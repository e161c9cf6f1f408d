"""The sizes `ettervern seed --scale` knows."""

from __future__ import annotations

from dataclasses import dataclass

from ettervern.demo.population import (
    AFTERCARE,
    CLOSED,
    CONTACT,
    PRE_ADMISSION,
    REFERRAL,
    RESIDENTIAL,
    SEQUENTIAL,
)


@dataclass(frozen=True)
class Scale:
    name: str
    pathways: int
    audit_rows: int  # in all: the services' own records and the reads
    chunk: int  # pathways per chunk: one transaction, one line in the bookkeeping
    postgres_only: bool = False

    @property
    def chunks(self) -> int:
        return -(-self.pathways // self.chunk)

    def pathways_in(self, number: int) -> int:
        """How many pathways chunk `number` (1-based) holds: the last one takes the rest."""
        return min(self.chunk, self.pathways - (number - 1) * self.chunk)

    def audit_rows_in(self, number: int) -> int:
        done = (number - 1) * self.chunk
        upto = done + self.pathways_in(number)
        return (self.audit_rows * upto // self.pathways) - (self.audit_rows * done // self.pathways)


SCALES: dict[str, Scale] = {
    # For the test suite: every kind of pathway, a few thousand audit rows, seconds to load.
    "tiny": Scale("tiny", pathways=300, audit_rows=6_000, chunk=100),
    # The benchmark's default.
    "50k": Scale("50k", pathways=50_000, audit_rows=5_000_000, chunk=1_000),
    "national": Scale("national", pathways=500_000, audit_rows=50_000_000, chunk=2_000,
                      postgres_only=True),
}

# Ten years of history: most pathways are closed, closed on a day spread over the ten years;
# the open ones are today's caseload, in the demo's mix. A returning patient's new pathway is
# closed too when there was time for a whole one (see BulkPopulation.return_kind).
HISTORY_DAYS = 3650
PROPORTIONS: dict[str, float] = {
    CONTACT: 0.5, REFERRAL: 1.0, PRE_ADMISSION: 1.5, RESIDENTIAL: 1.5, AFTERCARE: 2.5,
    SEQUENTIAL: 1.0, CLOSED: 92.0,
}
# Of all pathways, about this share is open (it sizes the clinics' staff: CASELOAD each).
OPEN_SHARE = 0.1
CASELOAD = 25
