"""Planning's admin: each capability registers its own (importing them here is enough)."""

from ettervern.planning.checklist import admin as checklist  # noqa: F401
