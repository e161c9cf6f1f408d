"""The portal's first page is a list of sections, each a small card. Later capabilities (beds,
meetings, messages, the access log) add their own section without editing the portal:

    from ettervern.portal.sections import Section, register

    register(Section(key="beds", order=35, template="beds/_portal.html", context=bed_card))

in their AppConfig.ready(). `context(page)` returns the template's context, or None to leave
the card out (e.g. no agreement, or no right to see it). Cards are shown by `order`; the
portal's own use 10, 20, … so that others fit between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ettervern.access.policy import Actor, Basis


@dataclass
class PortalPage:
    """What every section may use: who asks, the patient's current pathway and what the
    patient may do on it (read once for the page)."""

    actor: Actor
    detail: Any  # pathways.selectors.PathwayDetail
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pathway(self) -> Any:
        return self.detail.pathway

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.detail.allowed)

    @property
    def basis(self) -> Basis:
        return self.detail.basis


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable[[PortalPage], dict[str, Any] | None]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, by key) a section of the portal's first page."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def render_list(page: PortalPage) -> list[tuple[Section, dict[str, Any]]]:
    """The sections that have something to show, with their context."""
    shown = []
    for section in sections():
        context = section.context(page)
        if context is not None:
            shown.append((section, context))
    return shown
