"""The offers catalogue's endpoints (mounted by api.api). Not patient data, but for staff
only, like the directory."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from ettervern.access.policy import actor_from_request, require_staff
from ettervern.api.schemas import ERRORS, Blankable, PageNumber, PageOut, Text, page_fields
from ettervern.catalogue.models import Level, Offer
from ettervern.catalogue.selectors import offer_list
from ettervern.core.errors import InvalidInput
from ettervern.directory.models import Organisation

router = Router(tags=["catalogue"])
PAGE_SIZE = 50


class OrganisationRef(Schema):
    id: uuid.UUID
    name: str
    kind: str


class OfferOut(Schema):
    id: uuid.UUID
    level: Level
    level_label: str
    name: str
    description: str
    organisation: OrganisationRef | None = Field(
        description="Who provides it; null for a generic offer (every municipality, every NAV "
                    "office or every trust)")
    provider: str = Field(description="The provider's name, or what a generic offer is called")
    starts_before_discharge: bool


class OfferPage(PageOut):
    items: list[OfferOut]


class OfferQuery(Schema):
    level: Annotated[Level | None, Blankable] = None
    organisation_id: Annotated[uuid.UUID | None, Blankable] = None
    q: Text = Field(default="", max_length=200)
    page: PageNumber = 1


def offer_out(offer: Offer) -> OfferOut:
    org = offer.organisation
    return OfferOut(
        id=offer.public_id, level=Level(offer.level), level_label=str(offer.get_level_display()),
        name=offer.name, description=offer.description,
        organisation=OrganisationRef(id=org.public_id, name=org.name, kind=org.kind)
        if org else None,
        provider=offer.provider_name, starts_before_discharge=offer.starts_before_discharge)


def _organisation(public_id: uuid.UUID) -> Organisation:
    try:
        return Organisation.objects.get(public_id=public_id)
    except (Organisation.DoesNotExist, DjangoValidationError):
        raise InvalidInput(_("There is no such organisation."), field="organisation_id") from None


@router.get("/offers", response={200: OfferPage, **ERRORS}, summary="The offers catalogue")
def offers(request: HttpRequest, filters: Query[OfferQuery]) -> OfferPage:
    """Active offers by level and name: `level`, `organisation_id` (the provider; generic
    offers have none) and `q` (words in name, description or provider) narrow the list."""
    require_staff(actor_from_request(request, "api"), "catalogue.read")
    organisation = _organisation(filters.organisation_id) if filters.organisation_id else None
    found = offer_list(level=filters.level, organisation=organisation, query=filters.q)
    page = Paginator(found, PAGE_SIZE).get_page(filters.page)
    return OfferPage(items=[offer_out(o) for o in page.object_list], **page_fields(page))
