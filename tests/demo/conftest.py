"""Seeding is the slow part, so each test module seeds once and rolls it all back at the end.

The data lives in an outer transaction around the module; every test runs in its own savepoint
inside it (pytest-django's `db`), so tests cannot see each other's changes and nothing leaks
into other test packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

PATIENTS = 20


@dataclass
class Run:
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # A fast hasher: the demo sets, and the tests check, eight passwords more than once.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def seeded(module_transaction) -> Run:  # type: ignore[no-untyped-def]
    """`seed --patients 20` on an empty database."""
    out, err = StringIO(), StringIO()
    call_command("seed", "--patients", str(PATIENTS), "--seed", "7", stdout=out, stderr=err)
    return Run(out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def demo(module_transaction) -> Run:  # type: ignore[no-untyped-def]
    """`demo --no-serve --patients 20` in demo mode on an empty database."""
    out, err = StringIO(), StringIO()
    with override_settings(DEMO=True):
        call_command("demo", "--no-serve", "--patients", str(PATIENTS), "--port", "8123",
                     stdout=out, stderr=err)
    return Run(out.getvalue(), err.getvalue())
