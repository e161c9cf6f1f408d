"""The discharge gate, as the pathway sees it: one check every discharge passes through.

The checkpoints before discharge (discharge/) sit above pathways, so pathways cannot ask them
itself; the discharge app installs its check here in AppConfig.ready(). Every way a stay ends
(the page, the API, a phase move to aftercare) goes through pathways.services.stay_discharge,
which calls `check` inside its transaction, with the stay's row locked. Without an installed
check a discharge is refused: the gate fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# check(actor, stay, on, reason): raises a DomainError to refuse; records what it lets through
# (an override with its reason) in the caller's transaction.
Check = Callable[[Any, Any, Any, str], None]
_CHECK: list[Check] = []


def install(check: Check) -> None:
    _CHECK[:] = [check]


def check(actor: Any, stay: Any, on: Any, reason: str) -> None:
    if not _CHECK:
        raise RuntimeError("No discharge gate is installed (the discharge app is missing).")
    _CHECK[0](actor, stay, on, reason)
