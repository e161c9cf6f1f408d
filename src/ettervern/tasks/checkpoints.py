"""The discharge checkpoints a task can serve, as the discharge app names them.

The discharge app owns the list: it registers it in its AppConfig.ready() with
`register({slug: label})`. Until something is registered any well-formed slug is taken (the
standard tasks name theirs in the seed migration); once it is, a task names a registered one.
"""

from __future__ import annotations

from typing import Any

_KNOWN: dict[str, Any] = {}


def register(checkpoints: dict[str, Any]) -> None:
    """Add checkpoints (slug -> label, translatable)."""
    _KNOWN.update(checkpoints)


def is_known(slug: str) -> bool:
    return not _KNOWN or slug in _KNOWN


def label(slug: str) -> str:
    """The checkpoint's label in the reader's language, or the slug itself."""
    return str(_KNOWN.get(slug, slug)) if slug else ""


def choices() -> list[tuple[str, str]]:
    return [(slug, str(text)) for slug, text in _KNOWN.items()]
