"""The pages. Each view parses input, builds the Actor, calls one selector or service, renders.

Domain errors from a form POST are put on the form by `run_service` and the page is shown
again; any other domain error is turned into a page by middleware.DomainErrorMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import (
    EDIT,
    HANDOVER,
    STAY,
    TEAM,
    TRANSITION,
    actor_from_request,
    require,
    require_staff,
)
from ettervern.core.errors import InvalidInput, RuleViolation, StaleVersion
from ettervern.directory.models import Unit
from ettervern.pathways import services
from ettervern.pathways.models import Stay
from ettervern.pathways.selectors import (
    careteam_member_lookup,
    pathway_detail,
    pathway_lookup,
    pathway_worklist,
    stay_lookup,
)
from ettervern.web import forms as web_forms

T = TypeVar("T")

# Domain errors that belong on a form; the rest (404, 403, 401) go to the middleware.
FORM_ERRORS = (InvalidInput, RuleViolation, StaleVersion)


def run_service(form: forms.Form, call: Callable[[], T]) -> tuple[bool, T | None, int]:
    """Call a service; on a form-level domain error put its message on the form field it names.

    Returns (ok, result, status): status is the HTTP status to re-render the form with.
    """
    try:
        return True, call(), 200
    except FORM_ERRORS as exc:
        field = exc.field
        form.add_error(field if field in form.fields else None, str(exc.message))
        return False, None, exc.status


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def _is_htmx_partial(request: HttpRequest) -> bool:
    # A history restore wants the whole page even though htmx sends it.
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


# --- health and home ----------------------------------------------------------------------

@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body = {"status": "ok", "database": "ok", "vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except OperationalError:
        body.update(status="error", database="unavailable")
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:worklist")


# --- worklist -----------------------------------------------------------------------------

def _viewer(user: Any) -> str:
    """Which kind of person looks at the worklist: it decides the title and the filters."""
    if hasattr(user, "staff"):
        return "staff"
    if hasattr(user, "patient"):
        return "patient"
    return "next_of_kin"


@login_required
@require_safe
def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    viewer = _viewer(request.user)
    filters = web_forms.WorklistFilterForm(request.GET or None,
                                           initial={"scope": "mine"})
    values = filters.values() if request.GET else {"q": "", "phase": "", "scope": "mine"}
    result = pathway_worklist(actor=actor, scope=values["scope"], phase=values["phase"],
                              query=values["q"], page=_int(request.GET.get("page")))
    titles = {"staff": _("My pathways"), "patient": _("My pathway"),
              "next_of_kin": _("Pathways shared with me")}
    context = {"worklist": result, "filters": filters, "viewer": viewer,
               "title": titles[viewer]}
    template = "web/_worklist_results.html" if _is_htmx_partial(request) else "web/worklist.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- opening a pathway --------------------------------------------------------------------

@login_required
def pathway_open(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    require_staff(actor, "pathway.open")
    staff: Any = request.user.staff  # type: ignore[union-attr]
    units = staff.units.filter(kind=Unit.Kind.OUTPATIENT).select_related("organisation")
    form = web_forms.PathwayOpenForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            ok, pathway, status = run_service(form, lambda: services.pathway_open(
                actor=actor, coordinating_unit=data["coordinating_unit"],
                national_id=data["national_id"], given_name=data["given_name"],
                family_name=data["family_name"],
                referral_received_on=data["referral_received_on"], referrer=data["referrer"],
                first_contact_on=data["first_contact_on"], note=data["note"],
            ))
            if ok and pathway is not None:
                messages.success(request, _("The pathway for %(name)s is open.")
                                 % {"name": pathway.patient.full_name})
                return redirect("web:pathway", public_id=pathway.public_id)
    return render(request, "web/pathway_open.html",
                  {"form": form, "form_errors": [form] if form.errors else []}, status=status)


# --- the pathway page ---------------------------------------------------------------------

def _stay_forms(stay: Stay, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    prefix = f"stay-{stay.public_id}"
    result: dict[str, forms.Form] = {}
    if stay.status == Stay.Status.PLANNED:
        result["admit"] = bound.get(f"admit-{stay.public_id}") or web_forms.StayDateForm(
            action="admit", prefix=prefix + "-admit")
        result["cancel"] = bound.get(f"cancel-{stay.public_id}") or web_forms.VersionForm(
            initial={"version": stay.version}, prefix=prefix + "-cancel")
    elif stay.status == Stay.Status.ONGOING:
        result["discharge"] = bound.get(f"discharge-{stay.public_id}") or web_forms.StayDateForm(
            action="discharge", prefix=prefix + "-discharge")
    return result


def _render_pathway(request: HttpRequest, public_id: Any, *,
                    bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    """The pathway page; `bound` holds a submitted form with errors to show in its place."""
    actor = actor_from_request(request, "web")
    detail = pathway_detail(actor=actor, public_id=public_id,
                            events_page=_int(request.GET.get("events")))
    pathway = detail.pathway
    bound = bound or {}
    allowed = detail.allowed
    page_forms: dict[str, forms.Form | None] = {
        "transition": bound.get("transition") or web_forms.TransitionForm(
            current_phase=pathway.phase, prefix="transition"),
        "stay_plan": bound.get("stay_plan") or web_forms.StayPlanForm(prefix="stay"),
        "update": bound.get("update") or web_forms.PathwayUpdateForm(prefix="details", initial={
            "version": pathway.version, "referral_received_on": pathway.referral_received_on,
            "referrer": pathway.referrer, "first_contact_on": pathway.first_contact_on,
            "note": pathway.note}),
        "team_add": bound.get("team_add") or web_forms.CareTeamAddForm(prefix="team"),
        "handover": bound.get("handover") or web_forms.HandoverForm(
            prefix="handover", initial={"version": pathway.version}),
    }
    transition_form: Any = page_forms["transition"]
    can_manage = pathway.is_open
    if not (can_manage and TRANSITION in allowed and transition_form.fields["to_phase"].choices):
        page_forms["transition"] = None
    if not (can_manage and STAY in allowed):
        page_forms["stay_plan"] = None
    if not (can_manage and EDIT in allowed):
        page_forms["update"] = None
    if not (can_manage and TEAM in allowed):
        page_forms["team_add"] = None
    if not (can_manage and HANDOVER in allowed):
        page_forms["handover"] = None
    stays = [{"stay": stay, "forms": _stay_forms(stay, bound) if can_manage and STAY in allowed
              else {}} for stay in detail.stays]
    team = [{"member": member,
             "end_form": web_forms.VersionForm(initial={"version": member.version},
                                               prefix=f"member-{member.public_id}")
             if can_manage and TEAM in allowed else None} for member in detail.team]
    errors = [form for form in bound.values() if form.errors]
    context = {"detail": detail, "pathway": pathway, "patient": pathway.patient,
               "forms": page_forms, "stays": stays, "team": team, "bound_errors": errors,
               # After a failed POST the language switch must return to the page, not the action.
               "language_next": reverse("web:pathway", kwargs={"public_id": pathway.public_id})}
    return render(request, "web/pathway.html", context, status=status)


@login_required
@require_safe
def pathway(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_pathway(request, public_id)


def _back(pathway_public_id: Any, anchor: str = "") -> HttpResponse:
    url = reverse("web:pathway", kwargs={"public_id": pathway_public_id})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _form_post(request: HttpRequest, public_id: Any, key: str, form: forms.Form,
               call: Callable[[dict[str, Any]], Any], success: str, anchor: str,
               authorise: Callable[[], Any]) -> HttpResponse:
    """The shape every pathway-page form shares: validate, call the service, redirect back
    with a message, or show the page again with the errors on the form.

    The service decides access (and audits it) once. When the form is invalid the service is
    not called, so `authorise` asks the policy instead: someone without the right is refused
    rather than shown validation errors."""
    status = 422
    if not form.is_valid():
        authorise()
    else:
        ok, _result, status = run_service(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return _back(public_id, anchor)
    return _render_pathway(request, public_id, bound={key: form}, status=status)


@login_required
@require_POST
def pathway_transition(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = pathway_lookup(public_id)
    authorise = partial(require, actor, target, TRANSITION)
    form = web_forms.TransitionForm(request.POST, current_phase=target.phase, prefix="transition")
    return _form_post(request, public_id, "transition", form, lambda data: (
        services.pathway_transition(actor=actor, pathway=target, to_phase=data["to_phase"],
                                    on=data["on"], note=data["note"])),
        _("The phase is changed."), "phase", authorise)


@login_required
@require_POST
def pathway_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = pathway_lookup(public_id)
    authorise = partial(require, actor, target, EDIT)
    form = web_forms.PathwayUpdateForm(request.POST, prefix="details")
    return _form_post(request, public_id, "update", form, lambda data: (
        services.pathway_update(actor=actor, pathway=target, expected_version=data["version"],
                                referral_received_on=data["referral_received_on"],
                                referrer=data["referrer"],
                                first_contact_on=data["first_contact_on"], note=data["note"])),
        _("The pathway details are saved."), "details", authorise)


@login_required
@require_POST
def stay_plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = pathway_lookup(public_id)
    authorise = partial(require, actor, target, STAY)
    form = web_forms.StayPlanForm(request.POST, prefix="stay")
    return _form_post(request, public_id, "stay_plan", form, lambda data: (
        services.stay_plan(actor=actor, pathway=target, unit=data["unit"],
                           planned_start=data["planned_start"],
                           planned_end=data["planned_end"])),
        _("The stay is planned."), "stays", authorise)


def _stay_action(request: HttpRequest, stay_id: Any, action: str) -> HttpResponse:
    actor = actor_from_request(request, "web")
    stay = stay_lookup(stay_id)
    authorise = partial(require, actor, stay, STAY)
    pathway_id = stay.pathway.public_id
    prefix = f"stay-{stay.public_id}-{action}"
    if action == "cancel":
        form: forms.Form = web_forms.VersionForm(request.POST, prefix=prefix)
        return _form_post(request, pathway_id, f"cancel-{stay.public_id}", form, lambda data: (
            services.stay_cancel(actor=actor, stay=stay, expected_version=data["version"])),
            _("The planned stay is cancelled."), "stays", authorise)
    form = web_forms.StayDateForm(request.POST, action=action, prefix=prefix)
    service = services.stay_admit if action == "admit" else services.stay_discharge
    success = (_("The patient is admitted.") if action == "admit"
               else _("The patient is discharged."))
    return _form_post(request, pathway_id, f"{action}-{stay.public_id}", form,
                      lambda data: service(actor=actor, stay=stay, on=data["on"]),
                      success, "stays", authorise)


@login_required
@require_POST
def stay_admit(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _stay_action(request, stay_id, "admit")


@login_required
@require_POST
def stay_discharge(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _stay_action(request, stay_id, "discharge")


@login_required
@require_POST
def stay_cancel(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _stay_action(request, stay_id, "cancel")


@login_required
@require_POST
def careteam_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = pathway_lookup(public_id)
    authorise = partial(require, actor, target, TEAM)
    form = web_forms.CareTeamAddForm(request.POST, prefix="team")
    return _form_post(request, public_id, "team_add", form, lambda data: (
        services.careteam_add(actor=actor, pathway=target, staff=data["staff"],
                              role=data["role"])),
        _("The care team is updated."), "team", authorise)


@login_required
@require_POST
def careteam_end(request: HttpRequest, member_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    member = careteam_member_lookup(member_id)
    authorise = partial(require, actor, member.pathway, TEAM, obj=member)
    form = web_forms.VersionForm(request.POST, prefix=f"member-{member.public_id}")
    return _form_post(request, member.pathway.public_id, f"member-{member.public_id}", form,
                      lambda data: services.careteam_end(actor=actor, member=member,
                                                         expected_version=data["version"]),
                      _("The role on the care team has ended."), "team", authorise)


@login_required
@require_POST
def coordinator_handover(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = pathway_lookup(public_id)
    authorise = partial(require, actor, target, HANDOVER)
    form = web_forms.HandoverForm(request.POST, prefix="handover")
    return _form_post(request, public_id, "handover", form, lambda data: (
        services.coordinator_handover(actor=actor, pathway=target, to_staff=data["to_staff"],
                                      expected_version=data["version"],
                                      reason=data["reason"])),
        _("The coordinator role is handed over."), "coordinator", authorise)
