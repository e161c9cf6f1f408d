"""The checklist page: staff see every item and update the ones they may; the patient sees
their checklist in plain words. Next of kin see nothing of it (the policy refuses CHECKLIST_VIEW).

Each view parses input, calls one selector or service and renders; a domain error from the
POST lands on the item's form (web.views.run_service), any other is a page of its own
(web.middleware)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import actor_from_request
from ettervern.pathways.views import viewer_kind
from ettervern.planning.checklist import selectors, services
from ettervern.planning.checklist.forms import ChecklistItemForm
from ettervern.web.views import run_service


def _render(request: HttpRequest, public_id: Any, *, bound: ChecklistItemForm | None = None,
            bound_item: Any = None, status: int = 200) -> HttpResponse:
    checklist = selectors.checklist_get(actor=actor_from_request(request, "web"),
                                        public_id=public_id)
    viewer = viewer_kind(request.user)
    if viewer != "staff":
        return render(request, "planning/checklist_personal.html",
                      {"checklist": checklist, "pathway": checklist.pathway}, status=status)
    team = checklist.team if checklist.can_assign else None
    rows = []
    for item in checklist.items:
        form = None
        if bound is not None and bound_item == item.pk:
            form = bound
        elif checklist.can_update(item, request.user):
            form = ChecklistItemForm.for_item(item, team=team)
        rows.append({"item": item, "form": form})
    return render(request, "planning/checklist_page.html", {
        "checklist": checklist, "pathway": checklist.pathway,
        "patient": checklist.pathway.patient, "rows": rows,
        "bound_errors": [bound] if bound is not None and bound.errors else [],
        "language_next": reverse("planning:checklist", args=[public_id]),
    }, status=status)


@login_required
@require_safe
def checklist(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render(request, public_id)


@login_required
@require_POST
def checklist_item_update(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    item = selectors.item_lookup(item_id)
    pathway_id = item.pathway.public_id
    # The owner field is offered to those who may assign; a posted owner from anyone else is
    # passed on, so the service refuses it rather than silently dropping it.
    prefix = f"item-{item.public_id}"
    assigns = f"{prefix}-owner" in request.POST
    team = selectors.team_staff(item.pathway) if assigns else None
    form = ChecklistItemForm(request.POST, team=team, prefix=prefix)
    status = 422
    if not form.is_valid():
        # Someone without the right is refused, not shown validation errors.
        services.checklist_item_authorise(actor, item, changes_owner=False)
    else:
        data = form.cleaned_data
        extra = {"owner": data["owner"]} if assigns else {}
        ok, _result, status = run_service(form, lambda: services.checklist_item_update(
            actor=actor, item=item, expected_version=data["version"], status=data["status"],
            note=data["note"], due_on=data["due_on"], **extra))
        if ok:
            messages.success(request, _("Saved: %(item)s.") % {"item": item.item_type.label})
            return redirect(reverse("planning:checklist", args=[pathway_id]))
    return _render(request, pathway_id, bound=form, bound_item=item.pk, status=status)
