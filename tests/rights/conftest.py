import pytest

from ettervern.directory.models import Staff, Unit
from tests import factories
from tests.pathways.helpers import *  # noqa: F403


@pytest.fixture
def doctor(db):  # type: ignore[no-untyped-def]
    """A GP at a practice they lead: they open emergency accesses, and follow up the
    practice's (Unit.leaders)."""
    person = factories.staff(Staff.Profession.GP, units=[factories.unit(Unit.Kind.GP)],
                             username="legevakt")
    person.units.get().leaders.add(person)
    return person
