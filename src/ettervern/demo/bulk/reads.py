"""Audit records of reading: who looked at which pathway, when, and on what basis.

Real use leaves far more reads than writes in the audit log: the worklist records every row it
shows (pathway.list), the pathway page records each visit (pathway.view). A chunk's reads are
spread over its pathways Zipf-like (a Pareto weight per pathway, times the square root of how
long it was open): a few patients are read very often, most a few times. Each read is made by
someone who held a basis at that moment (the Grants the recorder noted): the coordinator most,
then the care team, the treating unit and colleagues at the clinic; after closing, rarely, the
clinic. The recorded basis is the first the access policy would find for that person then. A
few reads are refusals: staff of another clinic, no role.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import Any

from ettervern.demo.bulk.directory import NationalDirectory
from ettervern.demo.bulk.recorder import RANK, ROLE_ORDER, Grant, PathwayRec

UTC = dt.UTC

# How much each kind of basis reads, relative to the others.
WEIGHTS: dict[str, float] = {
    "coordinator": 10.0, "unit:coordinating": 2.0, "unit:treating": 4.0,
    "team:specialist_contact": 4.0, "team:municipal_contact": 3.0, "team:nav_contact": 1.5,
    "team:gp": 1.0, "closed:coordinator": 1.0, "closed:unit:coordinating": 1.0,
}
AFTER_CLOSING_DAYS = 730  # reads of a closed pathway happen within two years of closing,
AFTER_CLOSING_RATE = 0.05  # at this fraction of the rate while it was open
PARETO_ALPHA = 1.1
DENIED_SHARE = 0.003
LIST_SHARE = 0.3  # of reads while open: a row in a worklist; the rest are visits
API_SHARE = 0.15
OFFICE_START, OFFICE_HOURS = 7.5 * 3600, 9 * 3600
OSLO_OFFSET = 3600  # close enough to local time for office hours (summer time ignored)


class Segment:
    """A stretch of a pathway's life in which the same grants hold."""

    __slots__ = ("start", "end", "length", "picks", "cumulative", "total", "open")

    def __init__(self, start: float, end: float, grants: list[tuple[int, int, int]],
                 is_open: bool) -> None:
        self.start, self.end, self.length = start, end, end - start
        self.open = is_open
        # Each grant as a pick: (staff, unit, rank, the grants that outrank it). Whoever is
        # picked records the first basis they hold: one that outranks the drawn one, if any.
        self.picks = [(staff, unit, rank, [g for g in grants if g[2] < rank])
                      for staff, unit, rank in grants]
        total, cumulative = 0.0, []
        for _staff, _unit, rank in grants:
            total += WEIGHTS[ROLE_ORDER[rank]]
            cumulative.append(total)
        self.cumulative, self.total = cumulative, total


def _segments(pathway: PathwayRec, now: float) -> tuple[list[Segment], list[float]]:
    """The pathway's life cut where its grants change, with the running total of how likely a
    read falls in each piece (length times the rate: lower after closing)."""
    closed = pathway.closed_at.timestamp() if pathway.closed_at else None
    last = min(now, closed + AFTER_CLOSING_DAYS * 86400) if closed else now
    spans: list[tuple[float, float, Grant]] = []
    for grant in pathway.grants:
        start = grant.start.timestamp()
        end = grant.end.timestamp() if grant.end else last
        if end > start:
            spans.append((start, end, grant))
    edges = sorted({t for start, end, _g in spans for t in (start, end)})
    segments, cumulative, total = [], [], 0.0
    for start, end in zip(edges, edges[1:], strict=False):
        held = [(g.staff, g.unit, RANK[g.role]) for s, e, g in spans if s <= start and e >= end]
        if not held:
            continue
        is_open = closed is None or start < closed
        segment = Segment(start, end, held, is_open)
        total += segment.length * (1.0 if is_open else AFTER_CLOSING_RATE)
        segments.append(segment)
        cumulative.append(total)
    return segments, cumulative


class Reads:
    """Makes the read records of one chunk."""

    def __init__(self, directory: NationalDirectory, now: dt.datetime) -> None:
        self.directory = directory
        self.now = now.timestamp()
        # How each staff member appears in a record: user, name, organisation, address.
        self.who = {staff: (p.user_id, p.name, p.organisation,
                            f"10.{p.organisation_id % 256}.{p.unit_id % 256}.{staff % 254 + 1}")
                    for staff, p in directory.people.items()}
        # Refusals come from coordinators at other clinics: (clinic, staff) pairs.
        self.outsiders = [(trust.clinic.id, s.id)
                          for trust in directory.trusts.values() for s in trust.coordinators]

    def counts(self, pathways: list[PathwayRec], budget: int, rng: random.Random) -> list[int]:
        """`budget` reads over the pathways, Zipf-like."""
        if not pathways or budget <= 0:
            return [0] * len(pathways)
        weights = []
        for pathway in pathways:
            end = pathway.closed_at.timestamp() if pathway.closed_at else self.now
            days = max(end - pathway.opened_at.timestamp(), 0) / 86400
            weights.append(rng.paretovariate(PARETO_ALPHA) * math.sqrt(1 + days))
        total = sum(weights)
        counts = [int(budget * w / total) for w in weights]
        for index in rng.choices(range(len(pathways)), weights=weights,
                                 k=budget - sum(counts)):
            counts[index] += 1
        return counts

    def rows(self, pathways: list[PathwayRec], counts: list[int], ids: Iterator[int],
             rng: random.Random) -> Iterator[tuple[Any, ...]]:
        """The read records, pathway by pathway, each pathway's in time order."""
        random_, bisect_ = rng.random, bisect.bisect
        members, member_sets, who = self.directory.members, self.directory.member_sets, self.who
        outsiders, now = self.outsiders, self.now
        fromtimestamp = dt.datetime.fromtimestamp
        for pathway, count in zip(pathways, counts, strict=True):
            if count == 0:
                continue
            segments, cumulative = _segments(pathway, now)
            if not segments:
                continue
            total = cumulative[-1]
            object_id = str(pathway.public_id)
            patient_id, pathway_id = pathway.patient.id, pathway.id
            clinic, coordinator = pathway.clinic.id, pathway.coordinator.id
            reads = []
            for _ in range(count):
                segment = segments[bisect_(cumulative, random_() * total)]
                at = segment.start + random_() * segment.length
                if random_() < 0.9:  # office hours, local time, if the day allows it
                    day = (at + OSLO_OFFSET) // 86400 * 86400 - OSLO_OFFSET
                    office = day + OFFICE_START + random_() * OFFICE_HOURS
                    if segment.start <= office < segment.end and office <= now:
                        at = office
                draw = random_()
                if draw < DENIED_SHARE:
                    other, staff = outsiders[int(random_() * len(outsiders))]
                    while other == clinic:
                        other, staff = outsiders[int(random_() * len(outsiders))]
                    reads.append((at, staff, "pathway.view", "denied", "no role"))
                    continue
                staff, unit, rank, better = segment.picks[
                    bisect_(segment.cumulative, random_() * segment.total)]
                if unit:  # anyone at the unit
                    candidates = members.get(unit)
                    staff = candidates[int(random_() * len(candidates))] if candidates \
                        else coordinator
                for held_staff, held_unit, held_rank in better:
                    if held_rank < rank and (held_staff == staff or (
                            held_unit and staff in member_sets.get(held_unit, ()))):
                        rank = held_rank
                action = "pathway.list" if draw < (LIST_SHARE if segment.open else 0.1) \
                    else "pathway.view"
                reads.append((at, staff, action, "allowed", ROLE_ORDER[rank]))
            reads.sort(key=_first)
            for at, staff, action, outcome, basis in reads:
                user_id, name, organisation, ip = who[staff]
                yield (next(ids), fromtimestamp(at, UTC), user_id, name, organisation,
                       patient_id, pathway_id, action, "Pathway", object_id,
                       "api" if random_() < API_SHARE else "web", outcome, basis, ip)


def _first(read: tuple[Any, ...]) -> float:
    return float(read[0])
