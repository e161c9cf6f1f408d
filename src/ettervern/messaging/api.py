"""The messaging endpoints (tag "messages")."""

from ninja import Router

router = Router(tags=["messages"])
