"""Reads of the offers catalogue, shared by the catalogue page, `GET /api/offers` and the plan
measures. Offers are not patient data: reading them needs a staff login, not a role on a
pathway, and writes no audit record."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ettervern.catalogue.models import Offer
from ettervern.directory.models import CooperationAgreement, Organisation


def _search(offers: QuerySet[Offer], query: str) -> QuerySet[Offer]:
    for word in query.split()[:6]:
        offers = offers.filter(Q(name__icontains=word) | Q(description__icontains=word)
                               | Q(organisation__name__icontains=word))
    return offers


def offer_list(*, level: str | None = None, organisation: Organisation | None = None,
               query: str = "") -> QuerySet[Offer]:
    """Active offers, by level and name; filtered by level, providing organisation and words."""
    offers = Offer.objects.filter(active=True).select_related("organisation")
    if level:
        offers = offers.filter(level=level)
    if organisation is not None:
        offers = offers.filter(organisation=organisation)
    return _search(offers, query).order_by("level", "name", "id")


def _place_names(municipality: Organisation) -> set[str]:
    # Units name their municipality as people do ("Oslo"), the organisation is "Oslo kommune".
    return {municipality.name, municipality.name.removesuffix(" kommune")}


def _local_providers(municipality: Organisation | None) -> Q:
    """The municipality itself, its NAV office(s) (units in the municipality, or children of
    it) and the trusts it has a cooperation agreement with."""
    if municipality is None:
        return Q(pk__in=[])
    nav = Organisation.objects.filter(
        Q(kind=Organisation.Kind.NAV)
        & (Q(units__municipality_name__in=_place_names(municipality)) | Q(parent=municipality))
    ).values("pk")
    trusts = CooperationAgreement.objects.filter(municipality=municipality).values("trust_id")
    return Q(pk=municipality.pk) | Q(pk__in=nav) | Q(pk__in=trusts)


def offers_for(pathway_or_municipality: Any, level: str | None = None,
               query: str = "") -> QuerySet[Offer]:
    """The active offers relevant to one patient, for plan measures to pick from.

    `pathway_or_municipality` is a `pathways.Pathway` (its patient's municipality, its
    coordinating trust and the organisations of its stays count) or a `directory.Organisation`
    of kind kommune (that municipality and the trusts it has a cooperation agreement with).

    Relevant means, at every level:
    - generic offers (no organisation: "every municipality", every NAV office, every trust);
    - offers of the patient's own municipality;
    - offers of that municipality's NAV office (a NAV unit in the municipality, or a NAV
      organisation whose parent is the municipality);
    - specialist offers of the coordinating trust, of the providers where the patient has a
      stay, and of trusts with a cooperation agreement with the municipality.
    Offers of other municipalities and other NAV offices are left out.

    `level` (a `catalogue.models.Level` value) and `query` (words in the name, description or
    provider) narrow it. Ordered by level and name; a QuerySet, so callers paginate it.

    No access check happens here and no audit record is written: the catalogue is not patient
    data. The caller has already read the pathway through the access policy (the plan page
    does, with PLAN_VIEW or PLAN_EDIT) before it asks for offers for it.
    """
    from ettervern.pathways.models import Pathway  # the catalogue does not depend on pathways

    providers: Q
    if isinstance(pathway_or_municipality, Pathway):
        pathway = pathway_or_municipality
        municipality = pathway.patient.municipality
        specialist = Organisation.objects.filter(
            Q(units__pk=pathway.coordinating_unit_id)
            | Q(units__stays__pathway_id=pathway.pk)).values("pk")
        providers = _local_providers(municipality) | Q(pk__in=specialist)
    elif isinstance(pathway_or_municipality, Organisation):
        providers = _local_providers(pathway_or_municipality)
    else:
        raise TypeError("offers_for takes a Pathway or a municipality (Organisation)")
    relevant = Q(organisation__isnull=True) | Q(
        organisation__in=Organisation.objects.filter(providers).values("pk"))
    offers = Offer.objects.filter(relevant, active=True).select_related("organisation")
    if level:
        offers = offers.filter(level=level)
    return _search(offers, query).order_by("level", "name", "id")

