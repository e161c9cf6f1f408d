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
    code: str = Field(examples=["stale_version"])
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = None


class PageOut(Schema):
    page: int
    pages: int
    total: int


class PageQuery(Schema):
    page: PageNumber = 1


def page_fields(page: Page) -> dict[str, int]:
    return {"page": page.number, "pages": page.paginator.num_pages,
            "total": page.paginator.count}
