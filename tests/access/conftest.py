from __future__ import annotations

import pytest

from tests.beds.conftest import (  # noqa: F401
    accepted,
    agreement,
    bed_admin,
    bed_clinician,
    bed_unit,
    programme,
)
from tests.pathways.helpers import *  # noqa: F403


@pytest.fixture
def kin_beds(pathway):  # type: ignore[no-untyped-def]
    """A next of kin with the patient's consent to see the user-controlled bed only."""
    from django.contrib.auth import get_user_model

    from ettervern.core import clock
    from ettervern.patients.models import Consent, NextOfKin

    user = get_user_model().objects.create_user(username="kin_beds", password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Kari", relation="søster",
                                   user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="beds",
                           given_at=clock.now(), valid_from=clock.today())
    return user


@pytest.fixture
def kin_meetings(pathway):  # type: ignore[no-untyped-def]
    """A next of kin with the patient's consent to see the meetings only."""
    from django.contrib.auth import get_user_model

    from ettervern.core import clock
    from ettervern.patients.models import Consent, NextOfKin

    user = get_user_model().objects.create_user(username="kin_meetings", password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Randi",
                                   relation="mor", user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="meetings",
                           given_at=clock.now(), valid_from=clock.today())
    return user
