from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from ettervern.directory.models import Staff, Unit
from tests import factories


@pytest.fixture
def unit_administrator(db):  # type: ignore[no-untyped-def]
    """A unit administrator as the demo's `admin`: admin site access, directory permissions."""
    person = factories.staff(Staff.Profession.ADMIN, units=[factories.unit(Unit.Kind.ADMIN)],
                             username="enhetsadmin")
    person.user.is_staff = True
    person.user.save()
    person.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="directory"))
    return person


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_superuser("drift", password=None)
