"""The offers catalogue's endpoints (mounted by api.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["catalogue"])
