"""Notices on the pathway page and above the worklist from capabilities above pathways
(imports point down, so pathways cannot ask them itself): each registers a provider in its
AppConfig.ready, and the page shows what the providers return. A pathway provider gets the
actor, the pathway and what the actor may do on it; a worklist provider gets the actor. Each
returns short texts and runs one query at most."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ettervern.access.policy import Actor
from ettervern.pathways.models import Pathway


@dataclass(frozen=True)
class Notice:
    title: str
    lines: tuple[str, ...] = ()
    # "info" for a plain notice, "warning" for one that asks for attention.
    level: str = "info"


Provider = Callable[[Actor, Pathway, frozenset[str]], list[Notice]]
_PROVIDERS: list[Provider] = []


WorklistProvider = Callable[[Actor], list[Notice]]
_WORKLIST_PROVIDERS: list[WorklistProvider] = []


def register_worklist(provider: WorklistProvider) -> None:
    if provider not in _WORKLIST_PROVIDERS:
        _WORKLIST_PROVIDERS.append(provider)


def for_worklist(actor: Actor) -> list[Notice]:
    found: list[Notice] = []
    for provider in _WORKLIST_PROVIDERS:
        found.extend(provider(actor))
    return found


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def for_pathway(actor: Actor, pathway: Pathway, allowed: frozenset[str]) -> list[Notice]:
    found: list[Notice] = []
    for provider in _PROVIDERS:
        found.extend(provider(actor, pathway, allowed))
    return found
