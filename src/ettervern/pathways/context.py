"""What the page shell needs to know about the pathways context: whether to offer "New patient"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ettervern.pathways.selectors import opening_units


def navigation(request: HttpRequest) -> dict[str, Any]:
    # Lazy: only pages that show the menu ask, and only once.
    return {"can_open_pathways": SimpleLazyObject(
        lambda: request.user.is_authenticated and opening_units(request.user).exists())}
