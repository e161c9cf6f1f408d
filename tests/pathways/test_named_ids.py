"""Services take the id of a unit or staff member a request names (the API) as well as the
object (pages), and resolve the id only after the access check."""

from __future__ import annotations

import uuid

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.pathways import services
from tests import factories


@pytest.mark.django_db
def test_an_id_is_resolved_after_the_access_check(pathway, coordinator, outsider,
                                                  residential_unit):
    unknown = uuid.uuid4()
    with pytest.raises(NotFound):
        services.stay_plan(actor=factories.actor(outsider), pathway=pathway, unit=unknown,
                           planned_start=clock.today())
    assert AuditEvent.objects.filter(actor_id=outsider.user_id, outcome="denied").count() == 1
    with pytest.raises(InvalidInput) as caught:
        services.careteam_add(actor=factories.actor(coordinator), pathway=pathway,
                              staff=unknown, role="gp")
    assert caught.value.field == "staff"
    stay = services.stay_plan(actor=factories.actor(coordinator), pathway=pathway,
                              unit=residential_unit.public_id, planned_start=clock.today())
    assert stay.unit == residential_unit
