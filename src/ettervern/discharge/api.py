"""The discharge endpoints (tag "discharge")."""

from ninja import Router

router = Router(tags=["discharge"])
