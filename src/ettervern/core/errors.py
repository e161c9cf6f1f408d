"""One family of domain errors. Mapped once to HTTP (api) and once to page messages (web).

Messages are user-facing and translatable: raise with gettext_lazy strings.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    """Input that can never be right (a bad check digit, a missing field)."""

    status = 422
    code = "invalid_input"


class RuleViolation(DomainError):
    """Input that is well-formed but breaks a rule of the pathway (discharge before admission)."""

    status = 409
    code = "rule_violation"


class StaleVersion(DomainError):
    """Someone else changed the record since it was read (optimistic locking)."""

    status = 409
    code = "stale_version"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
