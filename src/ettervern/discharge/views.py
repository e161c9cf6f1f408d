"""The discharge page (the checkpoints and the gate) and the team overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import CHECKPOINT_TICK, STAY, actor_from_request, require
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.discharge import forms as discharge_forms
from ettervern.discharge import overview, selectors, services
from ettervern.pathways import services as pathway_services
from ettervern.pathways.selectors import stay_lookup
from ettervern.web.views import confirmation, int_param, run_service


def _page(request: HttpRequest, stay_id: Any, *, form: Any = None, status: int = 200,
          tick_form: discharge_forms.TickForm | None = None) -> HttpResponse:
    actor = actor_from_request(request, "web")
    found = selectors.stay_checkpoints(actor=actor, stay_id=stay_id)
    stay = found.stay
    can_discharge = (STAY in found.allowed and stay.status == stay.Status.ONGOING
                     and stay.kind == stay.Kind.RESIDENTIAL)
    if form is None and can_discharge:
        form = discharge_forms.DischargeForm(initial={"on": clock.today()})
    return render(request, "discharge/stay.html", {
        "found": found, "stay": stay, "pathway": stay.pathway,
        "form": form if can_discharge else None,
        "can_tick": CHECKPOINT_TICK in found.allowed and stay.status == stay.Status.ONGOING,
        # Each checkpoint's own small form (its note); the one just sent keeps its errors.
        "rows": [(state, tick_form if tick_form is not None and tick_form.prefix == state.key
                  else discharge_forms.TickForm(prefix=state.key)) for state in found.states],
        "form_errors": [f for f in (form, tick_form) if f is not None and f.errors],
    }, status=status)


@login_required
@require_safe
def stay_checkpoints(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _page(request, stay_id)


@login_required
@require_POST
def stay_discharge(request: HttpRequest, stay_id: Any) -> HttpResponse:
    """Discharge through the gate: open checkpoints need a reason; the page asks before what
    cannot be undone, and names what is still open."""
    actor = actor_from_request(request, "web")
    stay = stay_lookup(stay_id)
    form = discharge_forms.DischargeForm(request.POST)
    if not form.is_valid():
        require(actor, stay, STAY)
        return _page(request, stay_id, form=form, status=422)
    data = form.cleaned_data
    if request.POST.get("confirmed") != "yes":
        require(actor, stay, STAY)
        # What would refuse the discharge anyway is said before anyone is asked to confirm.
        refusal = pathway_services.discharge_refusal(stay, data["on"])
        if refusal is not None:
            form.add_error(refusal.field if refusal.field in form.fields else None,
                           str(refusal.message))
            return _page(request, stay_id, form=form, status=refusal.status)
        found = selectors.stay_checkpoints(actor=actor, stay_id=stay_id)
        still_open = found.open
        if still_open and not data["reason"].strip():
            form.add_error("reason", _("These checkpoints are still open: %(names)s. Complete "
                                       "them, or give the reason for discharging now.")
                           % {"names": ", ".join(state.title for state in still_open)})
            return _page(request, stay_id, form=form, status=409)
        consequence = _("A discharge cannot be undone. The pathway moves to aftercare, where the "
                        "outpatient clinic follows up.")
        if still_open:
            consequence += " " + _("Open checkpoints (%(count)s): %(names)s. Your reason is "
                                   "stored with them and shown on the pathway.") % {
                "count": len(still_open),
                "names": ", ".join(state.title for state in still_open)}
        return confirmation(
            request,
            _("Discharge %(name)s from %(unit)s on %(on)s?") % {
                "name": stay.pathway.patient.full_name, "unit": stay.unit.name,
                "on": display_date(data["on"])},
            consequence, _("Yes, discharge"),
            reverse("discharge:stay_checkpoints", kwargs={"stay_id": stay.public_id}))
    ok, _result, status = run_service(form, lambda: pathway_services.stay_discharge(
        actor=actor, stay=stay, on=data["on"], reason=data["reason"]))
    if not ok:
        return _page(request, stay_id, form=form, status=status)
    messages.success(request, _("The patient is discharged."))
    return redirect("pathways:pathway", public_id=stay.pathway.public_id)


@login_required
@require_POST
def checkpoint_tick(request: HttpRequest, stay_id: Any, key: str) -> HttpResponse:
    actor = actor_from_request(request, "web")
    stay = stay_lookup(stay_id)
    form = discharge_forms.TickForm(request.POST, prefix=key)
    if not form.is_valid():
        require(actor, stay, CHECKPOINT_TICK)
        return _page(request, stay_id, status=422, tick_form=form)
    ok, _result, status = run_service(form, lambda: services.checkpoint_tick(
        actor=actor, stay=stay, key=key, note=form.cleaned_data["note"]))
    if not ok:
        return _page(request, stay_id, status=status, tick_form=form)
    messages.success(request, _("The checkpoint is ticked."))
    return redirect("discharge:stay_checkpoints", stay_id=stay.public_id)


@login_required
@require_POST
def checkpoint_untick(request: HttpRequest, stay_id: Any, key: str) -> HttpResponse:
    actor = actor_from_request(request, "web")
    stay = stay_lookup(stay_id)
    form = discharge_forms.TickForm(request.POST, prefix=key)
    ok, _result, status = run_service(form, lambda: services.checkpoint_untick(
        actor=actor, stay=stay, key=key))
    if not ok:
        return _page(request, stay_id, status=status, tick_form=form)
    messages.success(request, _("The tick is taken back."))
    return redirect("discharge:stay_checkpoints", stay_id=stay.public_id)


@login_required
@require_safe
def team_overview(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    found = overview.team_overview(actor=actor, public_id=public_id)
    return render(request, "discharge/overview.html", {
        "overview": found, "pathway": found.pathway, "today": clock.today()})


@login_required
@require_safe
def discharges_ahead(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    found, rows = selectors.discharges_ahead(actor=actor, page=int_param(request.GET.get("side")))
    return render(request, "discharge/discharges.html", {"page": found, "rows": rows})
