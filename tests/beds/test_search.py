"""The search across the country (one statement) agrees, night by night, with the unit's own
free nights: booked nights, nights without a row, a capacity change inside the range, and
nights before and after the range that must not count (both databases)."""

from __future__ import annotations

import datetime as dt

from ettervern.beds import selectors, services
from ettervern.beds.models import BedNight
from tests import factories
from tests.beds.conftest import day, make_programme
from tests.pathways.helpers import act


def _expected(programme, first: dt.date, until: dt.date) -> tuple[int, int, dt.date | None]:  # type: ignore[no-untyped-def]
    nights = selectors.free_nights(programme, first, until)
    free = [n for n in nights if n.free > 0]
    return len(free), sum(n.free for n in free), free[0].night if free else None


def test_the_search_counts_each_night_as_the_unit_does(accepted, patient_user, bed_admin,  # type: ignore[no-untyped-def]
                                                      coordinator):
    programme = accepted.programme  # 2 beds from today
    services.booking_create(actor=act(patient_user), agreement=accepted, arrival=day(3),
                            departure=day(6))
    services.capacity_set(actor=act(bed_admin), programme=programme, valid_from=day(5), beds=1)
    # A night before the range and one after it, both full: outside, they count for nothing.
    BedNight.objects.create(programme=programme, night=day(1), capacity=2, booked=2)
    BedNight.objects.create(programme=programme, night=day(12), capacity=1, booked=1)
    # Another unit, with fewer free nights, and an unpublished one.
    other_admin = factories.staff(factories.Staff.Profession.ADMIN,
                                  units=[factories.unit(factories.Unit.Kind.RESIDENTIAL)])
    other = make_programme(other_admin, other_admin.units.get(), beds=1)
    BedNight.objects.create(programme=other, night=day(4), capacity=1, booked=1)
    hidden_admin = factories.staff(factories.Staff.Profession.ADMIN,
                                   units=[factories.unit(factories.Unit.Kind.RESIDENTIAL)])
    make_programme(hidden_admin, hidden_admin.units.get(), published=False)

    first, until = day(2), day(12)
    rows = selectors.search(actor=act(coordinator), first=first, until=until)

    assert [r.programme_id for r in rows] == [str(programme.public_id), str(other.public_id)]
    found = {r.programme_id: (r.free_nights, r.free_beds, r.first_free) for r in rows}
    assert found[str(programme.public_id)] == _expected(programme, first, until) == (
        9, 2 + 1 + 1 + 0 + 1 * 6, day(2))  # day 5: one bed left by the change, and it is taken
    assert found[str(other.public_id)] == _expected(other, first, until) == (9, 9, day(2))
    vest = selectors.search(actor=act(coordinator), first=first, until=until, region="vest")
    assert [r.programme_id for r in vest] == [str(programme.public_id)]
    assert selectors.search(actor=act(coordinator), first=first, until=until,
                            target_group="lar") == []
