"""What the page shell needs to know about the pathways context: who is signed in among staff
and whether to offer "New patient", both from the request's standing (read once per request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ettervern.directory.selectors import request_standing


def navigation(request: HttpRequest) -> dict[str, Any]:
    # Lazy: only pages that show the menu ask; the standing is the one the page's access
    # decision read, so this costs no query there. Same answer as opening_units().exists().
    me = SimpleLazyObject(lambda: request_standing(request.user))
    return {"staff_standing": me,
            "can_open_pathways": SimpleLazyObject(lambda: me.at_outpatient_clinic)}
