"""What every part of the API shares: the error body, page fields, and the building blocks of
input schemas. Each context's own schemas live beside its router (`pathways/schemas.py`,
`directory/api.py`). Ids are public_id UUIDs; internal keys never leave.

Input schemas (`In`) refuse unknown fields, so a misspelt field is a 422 rather than silently
ignored.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.paginator import Page
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


def _blank_to_none(value: Any) -> Any:
    """`?phase=&page=` from an HTML form means "not given"."""
    return None if value == "" else value


def _blank_page_to_one(value: Any) -> Any:
    """`?page=` (empty) is the first page. (Blankable's None would still meet `ge=1`.)"""
    return 1 if value == "" or value is None else value


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold a NUL character: refuse it here (422), not in the
    database (500)."""
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Text must not contain NUL characters.")
    return value


Blankable = BeforeValidator(_blank_to_none)
PageNumber = Annotated[int, BeforeValidator(_blank_page_to_one), Field(ge=1)]
# Every free-text field of an input or query schema.
Text = Annotated[str, AfterValidator(_no_nul)]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


# --- errors and pages ------------------------------------------------------------------------

class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error the API answers with (api.errors makes them)."""

    code: str = Field(examples=["stale_version"],
                      description="What went wrong, for programs: not_found, invalid_input, …")
    message: str = Field(description="A sentence for people, in the language asked for "
                                     "(Accept-Language; Norwegian by default)")
    field: str | None = Field(description="The input field the error is about, or null")
    errors: list[FieldErrorOut] | None = Field(
        default=None, description="Request validation (422): every field that failed")


# The statuses an operation answers with an error, documented on every operation:
# 400 unreadable body, 401 not signed in or bad token, 403 not allowed (role, CSRF),
# 404 not found or no access, 409 a rule or a stale version, 413 body too large,
# 422 invalid input (the request's validation as well as the services').
ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(ERROR_STATUSES, ErrorOut)


class PageOut(Schema):
    page: int
    pages: int
    total: int


class PageQuery(Schema):
    page: PageNumber = 1


def page_fields(page: Page) -> dict[str, int]:
    return {"page": page.number, "pages": page.paginator.num_pages,
            "total": page.paginator.count}
