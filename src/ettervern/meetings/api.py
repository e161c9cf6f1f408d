"""The meetings endpoints (tag "meetings")."""

from ninja import Router

router = Router(tags=["meetings"])
