"""Reversing URLs that pages name again and again, once per route."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_REVERSED: dict[tuple[Any, ...], str] = {}


def reverse_by_id(viewname: str, *ids: Any) -> str:
    """`reverse(viewname, args=ids)` for a route whose arguments are all UUIDs (or none).

    Reversing costs about a tenth of a millisecond (a regular expression checks every
    candidate); a table of pathways did it once per row. The route is reversed once, with
    placeholder ids, per URL configuration, script prefix and language, and the ids are put in
    place of the placeholders. Anything else than UUIDs is reversed as usual."""
    if not all(isinstance(value, uuid.UUID) for value in ids):
        return reverse(viewname, args=ids)
    key = (viewname, len(ids), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF,
           get_language())
    pattern = _REVERSED.get(key)
    if pattern is None:
        placeholders = [uuid.UUID(int=n + 1) for n in range(len(ids))]
        pattern = reverse(viewname, args=placeholders).replace("{", "{{").replace("}", "}}")
        for n, placeholder in enumerate(placeholders):
            pattern = pattern.replace(str(placeholder), f"{{{n}}}", 1)
        if len(_REVERSED) > 1000:  # bounded: the keys are the routes the templates name
            _REVERSED.clear()
        _REVERSED[key] = pattern
    return pattern.format(*ids)
