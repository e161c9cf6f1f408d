"""The patient's pages (who has looked at my data, my blocks) and the staff's (emergency
access, the unit's emergency accesses). Each parses input, calls one selector or service, and
renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import actor_from_request
from ettervern.core.errors import NotFound
from ettervern.rights import selectors, services
from ettervern.rights.forms import BlockForm, EmergencyForm
from ettervern.web.views import run_service


@login_required
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    """Who has looked at my data (pasientjournalloven § 18), newest first, a page at a time."""
    log = selectors.access_log(actor=actor_from_request(request, "web"),
                               before=request.GET.get("before"))
    return render(request, "rights/access_log.html",
                  {"log": log, "first_page": not request.GET.get("before")})


@login_required
def blocks(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    candidates = selectors.block_candidates(actor=actor)
    form = BlockForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            ok, block, status = run_service(form, lambda: services.block_create(
                actor=actor, staff=form.cleaned_data["staff"]))
            if ok and block is not None:
                messages.success(request, _("%(name)s can no longer see your pathway.")
                                 % {"name": block.staff.name})
                return redirect("rights:blocks")
    return render(request, "rights/blocks.html",
                  {"form": form, "blocks": selectors.block_list(actor=actor),
                   "form_errors": [form] if form.errors else []}, status=status)


@login_required
@require_POST
def block_lift(request: HttpRequest, block_id: Any) -> HttpResponse:
    block = services.block_lift(actor=actor_from_request(request, "web"), block=block_id)
    messages.success(request, _("The block on %(name)s is lifted.") % {"name": block.staff.name})
    return redirect("rights:blocks")


@login_required
def emergency_open(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    form = EmergencyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                ok, access, status = run_service(form, lambda: services.emergency_open(
                    actor=actor, national_id=data["national_id"], reason=data["reason"]))
            except NotFound as missing:
                ok, access, status = False, None, 404
                form.add_error("national_id", str(missing.message))
            if ok and access is not None:
                messages.warning(request, _(
                    "Emergency access is open until %(until)s. It is read-only and shown to the "
                    "patient, the coordinator and your unit.") % {
                        "until": access.expires_at.astimezone().strftime("%H:%M")})
                return redirect("pathways:pathway", public_id=access.pathway.public_id)
    else:
        services.require_health_personnel(actor)
    return render(request, "rights/emergency_open.html",
                  {"form": form, "form_errors": [form] if form.errors else []}, status=status)


@login_required
@require_safe
def emergency_review(request: HttpRequest) -> HttpResponse:
    """The emergency accesses opened by staff of my units, for the unit leader's follow-up."""
    actor = actor_from_request(request, "web")
    units = list(selectors.emergency_units(actor))
    chosen = request.GET.get("unit") or (str(units[0].public_id) if units else "")
    unit = next((u for u in units if str(u.public_id) == chosen), chosen)
    rows = selectors.emergency_list_for_unit(actor=actor, unit=unit) if chosen else []
    return render(request, "rights/emergency_review.html",
                  {"units": units, "chosen": chosen, "rows": rows})
