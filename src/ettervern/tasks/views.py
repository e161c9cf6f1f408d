"""The pages of tasks. Each parses input, calls one selector or service, and renders; the rules
live in the services (the API calls the same ones).

- "Mine oppgaver" (/oppgaver/): a staff member's open tasks on all their pathways;
- the pathway's tasks (/forlop/<id>/oppgaver/): add, complete, reopen, cancel;
- the patient's own (/meg/oppgaver/): their tasks in plain words, marked done by them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import TASK_MANAGE, actor_from_request, allowed_actions, require
from ettervern.core.dates import display_date
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.planning.plan.models import Measure
from ettervern.rights.services import patient_of
from ettervern.tasks import selectors, services
from ettervern.tasks.forms import TaskForm
from ettervern.tasks.models import Task
from ettervern.web.views import confirmation, int_param, run_service


def _measures(pathway: Any) -> list[tuple[str, str]]:
    rows = (Measure.objects.filter(plan__pathway=pathway).select_related("section", "offer")
            .order_by("section_id", "id"))
    return [(str(m.public_id), (m.description or (m.offer.name if m.offer else ""))[:80])
            for m in rows]


def _form(pathway: Any, data: Any = None) -> TaskForm:
    return TaskForm(data, owners=selectors.owner_choices(pathway), measures=_measures(pathway))


def _back(request: HttpRequest, default: str) -> str:
    """Where a step on a task returns to: the page it was taken on (ours only)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


# --- "Mine oppgaver" ---------------------------------------------------------------------------

@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    page, rows = selectors.my_tasks(actor, int_param(request.GET.get("side")))
    return render(request, "tasks/mine.html", {
        "page": page, "rows": rows, "overdue": sum(1 for r in rows if r.overdue)})


# --- the pathway's tasks -----------------------------------------------------------------------

def _pathway_page(request: HttpRequest, public_id: Any, form: TaskForm | None = None,
                  status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    found = selectors.pathway_tasks(actor=actor, public_id=public_id,
                                    page=int_param(request.GET.get("side")))
    allowed = allowed_actions(found.bases)
    viewer = viewer_kind(request.user, found.bases[0] if found.bases else None)
    if viewer == "patient":
        return redirect("tasks:portal")
    can_manage = TASK_MANAGE in allowed and found.pathway.is_open
    if can_manage and form is None:
        form = _form(found.pathway)
    return render(request, "tasks/pathway_tasks.html", {
        "pathway": found.pathway, "patient": found.pathway.patient, "page": found.page,
        "rows": found.rows, "can_manage": can_manage, "form": form if can_manage else None,
        "form_errors": [form] if form is not None and form.errors else []}, status=status)


@login_required
@require_safe
def pathway_tasks(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _pathway_page(request, public_id)


@login_required
@require_POST
def task_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    # Looked up without a decision: the service decides (and audits) once; a form that does
    # not validate asks the policy itself before it says what is wrong.
    pathway = pathway_lookup(public_id)
    form = _form(pathway, request.POST)
    status = 422
    if not form.is_valid():
        require(actor, pathway, TASK_MANAGE)
    else:
        data = form.cleaned_data
        ok, made, status = run_service(form, lambda: services.task_create(
            actor=actor, pathway=pathway, owner=data["owner"], title=data["title"],
            due_on=data["due_on"], note=data["note"], checkpoint=data.get("checkpoint", ""),
            measure=data.get("measure") or None))
        if ok and made is not None:
            messages.success(request, _("The task “%(title)s” is added, due %(on)s.")
                             % {"title": made.title, "on": display_date(made.due_on)})
            return redirect("tasks:pathway_tasks", public_id=public_id)
    return _pathway_page(request, public_id, form, status)


# --- steps on one task -------------------------------------------------------------------------

def _default_back(request: HttpRequest, task: Task) -> str:
    if task.owner_id == request.user.pk and hasattr(request.user, "patient"):
        return reverse("tasks:portal")
    return reverse("tasks:pathway_tasks", kwargs={"public_id": task.pathway.public_id})


@login_required
@require_POST
def task_complete(request: HttpRequest, task_id: Any) -> HttpResponse:
    task = selectors.task_lookup(task_id)  # the service decides and audits
    services.task_complete(actor=actor_from_request(request, "web"), task=task)
    messages.success(request, _("“%(title)s” is done.") % {"title": task.display_title})
    return redirect(_back(request, _default_back(request, task)))


@login_required
@require_POST
def task_reopen(request: HttpRequest, task_id: Any) -> HttpResponse:
    task = selectors.task_lookup(task_id)
    services.task_reopen(actor=actor_from_request(request, "web"), task=task)
    messages.success(request, _("“%(title)s” is open again.") % {"title": task.display_title})
    return redirect(_back(request, _default_back(request, task)))


@login_required
@require_POST
def task_cancel(request: HttpRequest, task_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    task = selectors.task_lookup(task_id)
    back = _back(request, _default_back(request, task))
    if request.POST.get("confirmed") != "yes":
        # Asked only of someone who may cancel it: others are refused (and audited) first.
        services.require_cancel(actor, task)
        return confirmation(
            request, _("Cancel the task “%(title)s”?") % {"title": task.display_title},
            _("It leaves the owner's list. If it is needed after all, it can be opened again "
              "from the pathway's tasks."), _("Yes, cancel the task"), back)
    services.task_cancel(actor=actor, task=task)
    messages.success(request, _("“%(title)s” is cancelled.") % {"title": task.display_title})
    return redirect(back)


# --- the patient's own -------------------------------------------------------------------------

@login_required
@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    patient = patient_of(actor_from_request(request, "web"))
    rows = selectors.own_tasks(patient)
    return render(request, "tasks/portal.html", {
        "open_rows": [r for r in rows if r.task.is_open],
        "done_rows": [r for r in rows if not r.task.is_open]})
