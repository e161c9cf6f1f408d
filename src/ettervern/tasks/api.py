"""The tasks endpoints (tag "tasks")."""

from ninja import Router

router = Router(tags=["tasks"])
