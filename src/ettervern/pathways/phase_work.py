"""Work a phase brings with it: entering pre-admission creates its checklist, and later
capabilities (the plan before discharge, checkpoints) can hang work on other phases.

Pathways does not import the capabilities that build on it (imports point down). Instead each
registers a maker in its AppConfig.ready() with `on_enter`, and the phase-change service calls
`entered` inside its own transaction, under the pathway's row lock: the work exists exactly when
the phase change does, and a refused or failed change leaves none behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# phase -> what to create when a pathway enters it; each maker takes the locked pathway and
# must be idempotent (a pathway can enter a phase more than once: sequential admissions).
_makers: dict[str, list[Callable[[Any], object]]] = {}


def on_enter(phase: str, maker: Callable[[Any], object]) -> None:
    """Run `maker(pathway)` whenever a pathway enters `phase` (registered once per process)."""
    makers = _makers.setdefault(phase, [])
    if maker not in makers:
        makers.append(maker)


def entered(pathway: Any, phase: str) -> None:
    """Called by pathways.services when `pathway` has entered `phase`, in its transaction."""
    for maker in _makers.get(phase, []):
        maker(pathway)
