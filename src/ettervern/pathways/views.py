"""The pathway pages: the worklist, opening a pathway, and the pathway page with its forms.

Each view parses input, builds the Actor, calls one selector or service, and renders. Domain
errors from a form POST are put on the form by `web.views.run_service`; any other domain error
is turned into a page by web.middleware.DomainErrorMiddleware.

What cannot be undone (discharge, cancelling a stay, ending a role, a hand-over, closing) is
confirmed on a page of its own before the service is called; the API takes it in one request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access import audit
from ettervern.access.policy import (
    EDIT,
    HANDOVER,
    REOPEN,
    STAY,
    STAY_PLAN,
    TEAM,
    TRANSITION,
    Basis,
    actor_from_request,
    require,
    require_staff,
)
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.core.errors import Forbidden
from ettervern.directory.selectors import request_standing
from ettervern.pathways import forms as pathway_forms
from ettervern.pathways import notices, selectors, services
from ettervern.pathways.models import CareTeamMember, Stay
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist.selectors import checklist_open_items
from ettervern.planning.worklist import attach_worklist_figures
from ettervern.web.routes import reverse_by_id
from ettervern.web.views import confirmation, int_param, is_htmx_partial, run_service

PICKER_SIZE = 12  # people a picker shows at once

# --- worklist -----------------------------------------------------------------------------


def viewer_kind(user: Any, basis: Basis | None = None) -> str:
    """Which kind of person looks: staff get the clinician's pages, the patient and next of
    kin (or trust person) a plain layout of their own. With the `basis` a page was read on, a
    staff member who reads as someone's trust person gets the plain layout too."""
    if basis is not None and basis.role.startswith("consent:"):
        return "next_of_kin"
    if basis is not None and basis.role == "patient":
        return "patient"
    if request_standing(user).staff_id is not None:  # the request's standing: no query of its own
        return "staff"
    if hasattr(user, "patient"):
        return "patient"
    return "next_of_kin"


@login_required
@require_safe
@audit.batched()  # the list and the hand-overs above it: one INSERT
def worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    viewer = viewer_kind(request.user)
    if viewer != "staff":
        return _personal_list(request, viewer)
    filters = pathway_forms.WorklistFilterForm(request.GET or None, initial={"scope": "mine"})
    values = filters.values() if request.GET else {"q": "", "phase": "", "scope": "mine"}
    result = selectors.pathway_worklist(
        actor=actor, scope=values["scope"], phase=values["phase"], query=values["q"],
        page=int_param(request.GET.get("page")))
    attach_worklist_figures(result.rows)
    context: dict[str, Any] = {"worklist": result, "filters": filters, "viewer": viewer,
                               "title": _("My pathways")}
    if is_htmx_partial(request):
        template = "pathways/_worklist_results.html"
    else:
        template = "pathways/worklist.html"
        context["handovers"] = selectors.handovers_to_me(actor=actor)
        context["notices"] = notices.for_worklist(actor)
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _personal_list(request: HttpRequest, viewer: str) -> HttpResponse:
    """The patient lands on their portal; a next of kin or trust person on what is shared
    with them, in plain words (never the clinician's table)."""
    if viewer == "next_of_kin":
        return redirect("portal:shared")
    actor = actor_from_request(request, "web")
    result = selectors.pathway_worklist(actor=actor, scope="mine",
                                        page=int_param(request.GET.get("page")))
    if viewer == "patient" and len(result.rows) == 1:
        return redirect("portal:home")
    title = _("My pathway") if viewer == "patient" else _("Shared with me")
    return render(request, "pathways/personal_list.html",
                  {"worklist": result, "viewer": viewer, "title": title})


# --- opening a pathway --------------------------------------------------------------------

@login_required
def pathway_open(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    require_staff(actor, "pathway.open")
    units = selectors.opening_units(request.user)
    if not units.exists():
        audit.record(actor, action="pathway.open", patient_id=None,
                     denied_because="no outpatient clinic")
        raise Forbidden(_("Only staff at an outpatient clinic (TSB) can register patients and "
                          "open pathways."))
    form = pathway_forms.PathwayOpenForm(request.POST or None, units=units)
    status, existing = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            national_id = data["national_id"]
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
                return redirect("pathways:pathway", public_id=pathway.public_id)
            existing = selectors.open_pathway_for(actor, national_id)
    return render(request, "pathways/pathway_open.html",
                  {"form": form, "form_errors": [form] if form.errors else [],
                   "existing": existing}, status=status)


# --- the pathway page ---------------------------------------------------------------------

def _stay_forms(stay: Stay, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    prefix = f"stay-{stay.public_id}"
    result: dict[str, forms.Form] = {}
    if stay.status == Stay.Status.PLANNED:
        result["admit"] = bound.get(f"admit-{stay.public_id}") or pathway_forms.StayDateForm(
            action="admit", prefix=prefix + "-admit")
        result["cancel"] = bound.get(f"cancel-{stay.public_id}") or pathway_forms.ReasonForm(
            initial={"version": stay.version}, prefix=prefix + "-cancel")
    return result


def _picker(request: HttpRequest, public_id: Any, name: str, form: forms.Form | None,
            purpose: str) -> dict[str, Any] | None:
    """What a person picker shows before anyone types: after a refused submit, the people for
    the chosen role with the chosen one checked."""
    if form is None:
        return None
    chosen = form.data.get(form.add_prefix("staff" if name == "team" else "to_staff"), "")
    candidates = None
    if form.is_bound and purpose:
        candidates = selectors.person_candidates(
            actor=actor_from_request(request, "web"), public_id=public_id, purpose=purpose)
    return {"name": name, "url": reverse_by_id("pathways:person_search", public_id),
            "field_name": form.add_prefix("staff" if name == "team" else "to_staff"),
            "candidates": candidates, "chosen": chosen, "purpose": purpose}


def _render_pathway(request: HttpRequest, public_id: Any, *,
                    bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    """The pathway page; `bound` holds a submitted form with errors to show in its place."""
    actor = actor_from_request(request, "web")
    detail = selectors.pathway_detail(actor=actor, public_id=public_id,
                                      events_page=int_param(request.GET.get("events")))
    viewer = viewer_kind(request.user, detail.basis)
    if viewer != "staff":
        return render(request, "pathways/pathway_personal.html",
                      {"detail": detail, "pathway": detail.pathway,
                       "patient": detail.pathway.patient, "viewer": viewer})
    pathway = detail.pathway
    bound = bound or {}
    allowed = detail.allowed if pathway.is_open else frozenset()

    def offered(key: str, action: str, make: Callable[[], forms.Form]) -> forms.Form | None:
        return (bound.get(key) or make()) if action in allowed else None

    page_forms: dict[str, forms.Form | None] = {
        "transition": offered("transition", TRANSITION, lambda: pathway_forms.TransitionForm(
            current_phase=pathway.phase, prefix="transition")),
        "stay_plan": offered("stay_plan", STAY_PLAN,
                             lambda: pathway_forms.StayPlanForm(prefix="stay")),
        "update": offered("update", EDIT, lambda: pathway_forms.PathwayUpdateForm(
            prefix="details", initial={
                "version": pathway.version, "referral_received_on": pathway.referral_received_on,
                "referrer": pathway.referrer, "first_contact_on": pathway.first_contact_on,
                "note": pathway.note})),
        "team_add": offered("team_add", TEAM,
                            lambda: pathway_forms.CareTeamAddForm(prefix="team")),
        "handover": offered("handover", HANDOVER, lambda: pathway_forms.HandoverForm(
            prefix="handover", initial={"version": pathway.version})),
        "reopen": (bound.get("reopen") or pathway_forms.ReasonForm(
            prefix="reopen", initial={"version": pathway.version}))
        if not pathway.is_open and REOPEN in detail.allowed else None,
    }
    transition: Any = page_forms["transition"]
    if transition is not None and not transition.targets:
        page_forms["transition"] = None
    team_form = page_forms["team_add"]
    team_role = team_form.data.get("team-role", "") if team_form is not None else ""
    stays = [{"stay": stay, "forms": _stay_forms(stay, bound) if STAY in allowed else {}}
             for stay in detail.stays]
    team = [{"member": member,
             "end_form": pathway_forms.VersionForm(initial={"version": member.version},
                                                   prefix=f"member-{member.public_id}")
             if TEAM in allowed else None} for member in detail.team]
    errors = [form for form in bound.values() if form.errors]
    context = {
        "detail": detail, "pathway": pathway, "patient": pathway.patient,
        "forms": page_forms, "stays": stays, "team": team, "bound_errors": errors,
        "show_national_id": EDIT in allowed,
        "notices": notices.for_pathway(actor, pathway, detail.allowed),
        "team_picker": _picker(request, public_id, "team", team_form, team_role),
        "handover_picker": _picker(request, public_id, "handover", page_forms["handover"],
                                   selectors.HANDOVER_PURPOSE),
        # After a failed POST the language switch must return to the page, not the action.
        "language_next": reverse_by_id("pathways:pathway", pathway.public_id),
    }
    return render(request, "pathways/pathway.html", context, status=status)


@login_required
@require_safe
def pathway(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_pathway(request, public_id)


@login_required
@require_safe
def person_search(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The results of a person picker (htmx): people who may hold the role, fitting ones first."""
    picker = "handover" if request.GET.get("picker") == "handover" else "team"
    purpose = (selectors.HANDOVER_PURPOSE if picker == "handover"
               else request.GET.get("team-role", ""))
    query = request.GET.get("q", "")[:100]
    candidates, more = None, False
    if purpose:
        # One more than is shown tells whether to ask for more of the name.
        found = selectors.person_candidates(
            actor=actor_from_request(request, "web"), public_id=public_id, purpose=purpose,
            query=query, limit=PICKER_SIZE + 1)
        candidates, more = found[:PICKER_SIZE], len(found) > PICKER_SIZE
    else:  # no role chosen yet; still only for those who may manage the team
        require(actor_from_request(request, "web"), selectors.pathway_lookup(public_id), TEAM)
    field_name = "handover-to_staff" if picker == "handover" else "team-staff"
    return render(request, "pathways/_person_results.html", {"picker": {
        "name": picker, "field_name": field_name, "candidates": candidates, "chosen": "",
        "purpose": purpose, "query": query, "more": more}})


def _back(pathway_public_id: Any) -> HttpResponse:
    # No anchor: the confirmation message is at the top of the page and takes the focus.
    return redirect(reverse("pathways:pathway", kwargs={"public_id": pathway_public_id}))


# (question, consequence, button), or None when there is nothing to ask.
Confirm = Callable[[dict[str, Any]], tuple[str, str, str] | None]


def _confirmation(request: HttpRequest, public_id: Any, question: str, consequence: str,
                  button: str) -> HttpResponse:
    """Ask before what cannot be undone, then back to the pathway."""
    return confirmation(request, question, consequence, button,
                        reverse("pathways:pathway", kwargs={"public_id": public_id}))


def _form_post(request: HttpRequest, public_id: Any, key: str, form: forms.Form,
               call: Callable[[dict[str, Any]], Any], success: str,
               authorise: Callable[[], Any], confirm: Confirm | None = None) -> HttpResponse:
    """The shape every pathway-page form shares: validate, (confirm,) call the service,
    redirect back with a message, or show the page again with the errors on the form.

    The service decides access (and audits it) once. When the form is invalid, or before a
    confirmation, the service is not called, so `authorise` asks the policy instead: someone
    without the right is refused rather than shown validation errors or a question."""
    status = 422
    if not form.is_valid():
        authorise()
    else:
        if confirm is not None and request.POST.get("confirmed") != "yes":
            authorise()
            asked = confirm(form.cleaned_data)
            if asked is not None:
                return _confirmation(request, public_id, *asked)
        ok, _result, status = run_service(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return _back(public_id)
    return _render_pathway(request, public_id, bound={key: form}, status=status)


@login_required
@require_POST
def pathway_transition(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, TRANSITION)
    form = pathway_forms.TransitionForm(request.POST, current_phase=target.phase,
                                        prefix="transition")

    def confirm_closing(data: dict[str, Any]) -> tuple[str, str, str]:
        return (_("Close the pathway of %(name)s?") % {"name": target.patient.full_name},
                _("The municipality, NAV and the GP lose access to it. The coordinating clinic "
                  "can still read it, and reopen it within %(days)s days.")
                % {"days": services.REOPEN_WITHIN.days},
                _("Yes, close the pathway"))

    closing = request.POST.get("transition-to_phase") == Phase.CLOSED
    success = _("The pathway is closed.") if closing else _("The phase is changed.")
    return _form_post(request, public_id, "transition", form, lambda data: (
        services.pathway_transition(actor=actor, pathway=target, to_phase=data["to_phase"],
                                    on=data["on"], note=data["note"])),
        success, authorise, confirm_closing if closing else None)


@login_required
@require_POST
def pathway_reopen(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, REOPEN)
    form = pathway_forms.ReasonForm(request.POST, prefix="reopen")
    return _form_post(request, public_id, "reopen", form, lambda data: (
        services.pathway_reopen(actor=actor, pathway=target, expected_version=data["version"],
                                reason=data["reason"])),
        _("The pathway is open again."), authorise)


@login_required
@require_POST
def pathway_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, EDIT)
    form = pathway_forms.PathwayUpdateForm(request.POST, prefix="details")
    return _form_post(request, public_id, "update", form, lambda data: (
        services.pathway_update(actor=actor, pathway=target, expected_version=data["version"],
                                referral_received_on=data["referral_received_on"],
                                referrer=data["referrer"],
                                first_contact_on=data["first_contact_on"], note=data["note"])),
        _("The pathway details are saved."), authorise)


@login_required
@require_POST
def stay_plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, STAY_PLAN)
    form = pathway_forms.StayPlanForm(request.POST, prefix="stay")
    return _form_post(request, public_id, "stay_plan", form, lambda data: (
        services.stay_plan(actor=actor, pathway=target, unit=data["unit"],
                           planned_start=data["planned_start"],
                           planned_end=data["planned_end"])),
        _("The stay is planned."), authorise)


def _stay_action(request: HttpRequest, stay_id: Any, action: str) -> HttpResponse:
    actor = actor_from_request(request, "web")
    stay = selectors.stay_lookup(stay_id)
    authorise = partial(require, actor, stay, STAY)
    pathway_id = stay.pathway.public_id
    prefix = f"stay-{stay.public_id}-{action}"
    name, unit = stay.pathway.patient.full_name, stay.unit.name
    if action == "cancel":
        form: forms.Form = pathway_forms.ReasonForm(request.POST, prefix=prefix)
        return _form_post(request, pathway_id, f"cancel-{stay.public_id}", form, lambda data: (
            services.stay_cancel(actor=actor, stay=stay, expected_version=data["version"],
                                 reason=data["reason"])),
            _("The planned stay is cancelled."), authorise, lambda data: (
                _("Cancel the stay at %(unit)s from %(start)s?")
                % {"unit": unit, "start": display_date(stay.planned_start)},
                _("A cancelled stay cannot be restored; plan a new one if needed. Reason: "
                  "%(reason)s") % {"reason": data["reason"]},
                _("Yes, cancel the stay")))
    form = pathway_forms.StayDateForm(request.POST, action=action, prefix=prefix)
    # The only other action: admitting.
    def open_checklist(data: dict[str, Any]) -> tuple[str, str, str] | None:
        """What is still open on the pre-admission checklist: said, not a block."""
        if data["on"] > clock.today():
            return None  # refused by the service with its own message: nothing to ask
        still_open = checklist_open_items(actor=actor, pathway=stay.pathway)
        if not still_open:
            return None
        return (_("Admit %(name)s to %(unit)s on %(on)s?")
                % {"name": name, "unit": unit, "on": display_date(data["on"])},
                _("These checklist items are not clarified yet: %(items)s. You can admit "
                  "the patient anyway and clarify them during the stay.")
                % {"items": ", ".join(item.item_type.label for item in still_open)},
                _("Yes, admit"))

    return _form_post(request, pathway_id, f"admit-{stay.public_id}", form,
                      lambda data: services.stay_admit(actor=actor, stay=stay, on=data["on"]),
                      _("The patient is admitted."), authorise, open_checklist)


@login_required
@require_POST
def stay_admit(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _stay_action(request, stay_id, "admit")


@login_required
@require_POST
def stay_cancel(request: HttpRequest, stay_id: Any) -> HttpResponse:
    return _stay_action(request, stay_id, "cancel")


@login_required
@require_POST
def careteam_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, TEAM)
    form = pathway_forms.CareTeamAddForm(request.POST, prefix="team")
    return _form_post(request, public_id, "team_add", form, lambda data: (
        services.careteam_add(actor=actor, pathway=target, staff=data["staff"],
                              role=data["role"])),
        _("The care team is updated."), authorise)


@login_required
@require_POST
def careteam_end(request: HttpRequest, member_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    member = selectors.careteam_member_lookup(member_id)
    authorise = partial(require, actor, member.pathway, TEAM, obj=member)
    form = pathway_forms.VersionForm(request.POST, prefix=f"member-{member.public_id}")
    role = CareTeamMember.Role(member.role).label
    return _form_post(request, member.pathway.public_id, f"member-{member.public_id}", form,
                      lambda data: services.careteam_end(actor=actor, member=member,
                                                         expected_version=data["version"]),
                      _("The role on the care team has ended."), authorise, lambda data: (
                          _("End the role of %(name)s as %(role)s?")
                          % {"name": member.staff.name, "role": role},
                          _("%(name)s loses access to the pathway through this role. To undo "
                            "it, add them to the team again.") % {"name": member.staff.name},
                          _("Yes, end the role")))


@login_required
@require_POST
def coordinator_handover(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.pathway_lookup(public_id)
    authorise = partial(require, actor, target, HANDOVER)
    form = pathway_forms.HandoverForm(request.POST, prefix="handover")
    return _form_post(request, public_id, "handover", form, lambda data: (
        services.coordinator_handover(actor=actor, pathway=target, to_staff=data["to_staff"],
                                      expected_version=data["version"],
                                      reason=data["reason"])),
        _("The coordinator role is handed over."), authorise, lambda data: (
            _("Hand the coordinator role for %(patient)s over to %(name)s?")
            % {"patient": target.patient.full_name, "name": data["to_staff"].name},
            _("%(name)s becomes coordinator and sees your reason at the top of their list.")
            % {"name": data["to_staff"].name},
            _("Yes, hand over")))
