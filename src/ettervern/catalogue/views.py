"""The catalogue page: what each level offers, read-only, for staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ettervern.access.policy import actor_from_request, require_staff
from ettervern.catalogue.models import Level
from ettervern.catalogue.selectors import offer_list
from ettervern.web.views import int_param

PAGE_SIZE = 50


@login_required
@require_safe
def offers(request: HttpRequest) -> HttpResponse:
    require_staff(actor_from_request(request, "web"), "catalogue.read")
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    query = request.GET.get("q", "")[:200].strip()
    page = Paginator(offer_list(level=level or None, query=query), PAGE_SIZE).get_page(
        int_param(request.GET.get("page")))
    return render(request, "catalogue/offers.html", {
        "page": page, "level": level, "query": query, "levels": Level.choices})
