"""The plan's pages: the editor for staff, the plain plan for the patient, versions and the
difference between two, the PDF.

Each view parses input, builds the Actor, calls one selector or service and renders. A form
whose save lost the race with someone else's (StaleVersion) is shown again with the writer's
text beside the current one and the current version number, so they can merge and save.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import (
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    PLAN_RESPOND,
    actor_from_request,
    require,
)
from ettervern.catalogue.models import Offer
from ettervern.core.errors import InvalidInput, NotFound, StaleVersion
from ettervern.pathways.views import viewer_kind
from ettervern.planning.plan import forms as plan_forms
from ettervern.planning.plan import pdf, selectors, services
from ettervern.planning.plan.models import PLAN_TEXT_FIELDS, Measure, Plan, SectionType
from ettervern.planning.plan.selectors import PlanDetail
from ettervern.planning.plan.versions import TEXT_LABELS
from ettervern.web.views import FORM_ERRORS, int_param


def _url(public_id: Any) -> str:
    return reverse("planning:plan", kwargs={"public_id": public_id})


# --- the plan page -------------------------------------------------------------------------

def _plan_initial(plan: Plan) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(plan, name) for name in PLAN_TEXT_FIELDS}
    initial.update(version=plan.version, period_start=plan.period_start,
                   period_end=plan.period_end, next_revision_on=plan.next_revision_on,
                   coordinator=plan.coordinator.public_id if plan.coordinator else None)
    return initial


def _measure_initial(measure: Measure, version: int) -> dict[str, Any]:
    return {"version": version, "description": measure.description,
            "offer": measure.offer.public_id if measure.offer else None,
            "responsible": measure.responsible.public_id,
            "responsible_service": measure.responsible_service, "start_on": measure.start_on,
            "end_on": measure.end_on, "status": measure.status}


def _may_change(detail: PlanDetail, section_type: SectionType, responsible_id: int | None,
                staff_id: int | None) -> bool:
    """What the services let through (services.may_change_part), on an open pathway."""
    return detail.pathway.is_open and services.may_change_part(
        detail.allowed, detail.roles, section_type, staff_id, [responsible_id])


def _staff_page(request: HttpRequest, detail: PlanDetail, bound: dict[str, forms.Form],
                conflict: dict[str, Any] | None, status: int) -> HttpResponse:
    plan = detail.plan
    staff_id = getattr(getattr(request.user, "staff", None), "pk", None)
    context: dict[str, Any] = {"detail": detail, "pathway": detail.pathway,
                               "patient": detail.pathway.patient, "plan": plan,
                               "conflict": conflict, "bound_errors": [
                                   f for f in bound.values() if f.errors],
                               "language_next": _url(detail.pathway.public_id)}
    if plan is None:
        context["may_create"] = PLAN_EDIT in detail.allowed and detail.pathway.is_open
        return render(request, "planning/plan_staff.html", context, status=status)
    editable = detail.pathway.is_open and PLAN_EDIT in detail.allowed
    context["plan_form"] = (bound.get("plan") or plan_forms.PlanForm(
        initial=_plan_initial(plan), team=detail.team, prefix="plan")) if editable else None
    context["texts"] = [(TEXT_LABELS[name], getattr(plan, name)) for name in PLAN_TEXT_FIELDS]
    # The pathway's offers: read once, and only when a measure form is shown.
    offers = cache(partial(selectors.plan_offers, detail.pathway))
    sections = []
    for section in detail.sections:
        key = section.section_type.key
        measures = []
        for measure in detail.measures.get(section.pk, []):
            form_key = f"measure-{measure.public_id}"
            form = None
            if _may_change(detail, section.section_type, measure.responsible_id, staff_id):
                form = bound.get(form_key) or plan_forms.MeasureForm(
                    initial=_measure_initial(measure, plan.version), team=detail.team,
                    offers=offers(), current_offer=measure.offer, prefix=form_key)
            measures.append({"measure": measure, "form": form})
        # Goals and new measures: the section's owners (and plan.edit), as the services decide.
        may_section = _may_change(detail, section.section_type, None, staff_id)
        sections.append({
            "section": section, "type": section.section_type, "measures": measures,
            "contact": detail.contacts.get(section.section_type.contact_role, []),
            "goals_form": (bound.get(f"section-{key}") or plan_forms.SectionForm(
                initial={"version": plan.version, "goals": section.goals},
                prefix=f"section-{key}")) if may_section else None,
            "add_form": (bound.get(f"add-{key}") or plan_forms.MeasureForm(
                initial={"version": plan.version}, team=detail.team, offers=offers(),
                prefix=f"add-{key}")) if may_section else None,
        })
    context["sections"] = sections
    return render(request, "planning/plan_staff.html", context, status=status)


def _personal_page(request: HttpRequest, detail: PlanDetail,
                   bound: dict[str, forms.Form], status: int) -> HttpResponse:
    plan = detail.plan
    assert plan is not None  # _render answers "not written yet" otherwise
    services.plan_mark_seen(plan=plan, basis=detail.basis)
    respond = PLAN_RESPOND in detail.allowed and detail.pathway.is_open
    context = {
        "detail": detail, "plan": plan, "pathway": detail.pathway,
        "sections": [{"section": s, "type": s.section_type,
                      "measures": detail.measures.get(s.pk, [])} for s in detail.sections
                     if s.goals or detail.measures.get(s.pk)],
        "comment_form": (bound.get("comment") or plan_forms.CommentForm(prefix="comment"))
        if respond else None,
        "agree_form": plan_forms.VersionedForm(initial={"version": plan.version},
                                               prefix="agree")
        if respond and not plan.agreed_to_current else None,
        "bound_errors": [f for f in bound.values() if f.errors],
        "viewer": viewer_kind(request.user, detail.basis),
    }
    return render(request, "planning/plan_personal.html", context, status=status)


def _render(request: HttpRequest, public_id: Any, *, bound: dict[str, forms.Form] | None = None,
            conflict: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    detail = selectors.plan_get(actor=actor, public_id=public_id,
                                with_team=hasattr(request.user, "staff"))
    if viewer_kind(request.user, detail.basis) != "staff":
        if detail.plan is None:
            raise NotFound(_("Your plan is not written yet. Ask your coordinator about it."))
        return _personal_page(request, detail, bound or {}, status)
    return _staff_page(request, detail, bound or {}, conflict, status)


@login_required
@require_safe
def plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render(request, public_id)


# --- saving ---------------------------------------------------------------------------------

def _conflict(form: forms.Form, current: dict[str, Any]) -> dict[str, Any]:
    """What the writer typed beside what is saved now, for each field that differs."""
    rows = []
    for name, now in current.items():
        theirs = form.data.get(form.add_prefix(name), "")
        if str(theirs).strip() != str(now or "").strip():
            rows.append({"label": form.fields[name].label, "theirs": theirs, "current": now})
    return {"rows": rows}


Remake = Callable[[Any], forms.Form]


def _post(request: HttpRequest, public_id: Any, key: str, form: forms.Form,
          call: Callable[[dict[str, Any]], Any], success: str, authorise: Callable[[], Any],
          current: Callable[[], dict[str, Any]] | None = None,
          remake: Remake | None = None) -> HttpResponse:
    """Validate, call the service, and go back with a message; or show the page again with the
    errors on the form. A stale version shows the writer's text beside the current one and
    takes the current version, so that saving again is a deliberate merge."""
    if not form.is_valid():
        authorise()  # someone without the right is refused, not shown validation errors
        return _render(request, public_id, bound={key: form}, status=422)
    try:
        call(form.cleaned_data)
    except StaleVersion as exc:
        fresh = selectors.plan_lookup(public_id)
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(fresh.version)
        again = remake(data) if remake else type(form)(data, prefix=form.prefix)
        again.is_valid()
        again.add_error(None, str(exc.message))
        conflict = _conflict(form, current()) if current else None
        return _render(request, public_id, bound={key: again}, conflict=conflict, status=409)
    except FORM_ERRORS as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return _render(request, public_id, bound={key: form}, status=exc.status)
    messages.success(request, success)
    return redirect(_url(public_id))


def _with_team(form_class: Any, public_id: Any, prefix: str) -> Remake:
    """A form whose person fields offer the care team (the service checks the choice)."""
    team = selectors.plan_team(selectors.pathway_lookup(public_id))
    return lambda data: form_class(data, team=team, prefix=prefix)


def _measure_form(public_id: Any, prefix: str, current_offer: Offer | None = None) -> Remake:
    """A measure form offering the care team and the pathway's offers (the service checks
    both choices)."""
    pathway = selectors.pathway_lookup(public_id)
    team, offers = selectors.plan_team(pathway), selectors.plan_offers(pathway)
    return lambda data: plan_forms.MeasureForm(data, team=team, offers=offers,
                                               current_offer=current_offer, prefix=prefix)


@login_required
@require_POST
def plan_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    services.plan_create(actor=actor, pathway=selectors.pathway_lookup(public_id))
    messages.success(request, _("The plan is created. Write it together with the patient."))
    return redirect(_url(public_id))


@login_required
@require_POST
def plan_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.plan_lookup(public_id)
    remake = _with_team(plan_forms.PlanForm, public_id, "plan")
    form = remake(request.POST)

    def current() -> dict[str, Any]:
        fresh = selectors.plan_lookup(public_id)
        return {name: getattr(fresh, name) for name in PLAN_TEXT_FIELDS}

    return _post(request, public_id, "plan", form, lambda data: services.plan_update(
        actor=actor, plan=target, expected_version=data["version"],
        coordinator=data["coordinator"], period_start=data["period_start"],
        period_end=data["period_end"], next_revision_on=data["next_revision_on"],
        **{name: data[name] for name in PLAN_TEXT_FIELDS}),
        _("The plan is saved."), partial(require, actor, target.pathway, PLAN_EDIT), current,
        remake)


@login_required
@require_POST
def plan_section(request: HttpRequest, public_id: Any, key: str) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.plan_lookup(public_id)
    form = plan_forms.SectionForm(request.POST, prefix=f"section-{key}")

    def current() -> dict[str, Any]:
        section = target.sections.filter(section_type__key=key).first()
        return {"goals": section.goals if section else ""}

    return _post(request, public_id, f"section-{key}", form, lambda data: (
        services.section_update(actor=actor, plan=target, section=key,
                                expected_version=data["version"], goals=data["goals"])),
        _("The goals are saved."), partial(require, actor, target.pathway, PLAN_CONTRIBUTE),
        current)


def _measure_call(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data["version"], "description": data["description"],
            "offer": data["offer"],
            "responsible": data["responsible"],
            "responsible_service": data["responsible_service"], "start_on": data["start_on"],
            "end_on": data["end_on"], "status": data["status"]}


@login_required
@require_POST
def plan_measure_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.plan_lookup(public_id)
    key = request.POST.get("section", "")
    if not target.sections.filter(section_type__key=key).exists():
        require(actor, target.pathway, PLAN_CONTRIBUTE)
        raise InvalidInput(_("The plan has no such section."), field="section")
    remake = _measure_form(public_id, f"add-{key}")
    form = remake(request.POST)
    return _post(request, public_id, f"add-{key}", form, lambda data: services.measure_add(
        actor=actor, plan=target, section=key, **_measure_call(data)),
        _("The measure is added."), partial(require, actor, target.pathway, PLAN_CONTRIBUTE),
        None, remake)


@login_required
@require_POST
def plan_measure_update(request: HttpRequest, measure_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    measure = selectors.measure_lookup(measure_id)
    public_id = measure.plan.pathway.public_id
    remake = _measure_form(public_id, f"measure-{measure.public_id}", measure.offer)
    form = remake(request.POST)

    def current() -> dict[str, Any]:
        fresh = Measure.objects.get(pk=measure.pk)
        return {"description": fresh.description,
                "responsible_service": fresh.responsible_service}

    return _post(request, public_id, f"measure-{measure.public_id}", form,
                 lambda data: services.measure_update(actor=actor, measure=measure,
                                                      **_measure_call(data)),
                 _("The measure is saved."),
                 partial(require, actor, measure.plan.pathway, PLAN_CONTRIBUTE), current, remake)


# --- the patient's voice --------------------------------------------------------------------

@login_required
@require_POST
def plan_comment(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.plan_lookup(public_id)
    form = plan_forms.CommentForm(request.POST, prefix="comment")
    return _post(request, public_id, "comment", form, lambda data: services.plan_comment(
        actor=actor, plan=target, text=data["text"]),
        _("Thank you. Your comment is sent to the people working on your plan."),
        partial(require, actor, target.pathway, PLAN_RESPOND))


@login_required
@require_POST
def plan_agree(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    target = selectors.plan_lookup(public_id)
    form = plan_forms.VersionedForm(request.POST, prefix="agree")
    return _post(request, public_id, "agree", form, lambda data: services.plan_agree(
        actor=actor, plan=target, expected_version=data["version"]),
        _("Thank you. You have said that you have read the plan and agree."),
        partial(require, actor, target.pathway, PLAN_RESPOND))


# --- versions and the PDF -------------------------------------------------------------------

@login_required
@require_safe
def plan_versions(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The list of versions; with `fra` and `til`, what changed between the two."""
    actor = actor_from_request(request, "web")
    old, new = request.GET.get("fra"), request.GET.get("til")
    if old and new:
        found = selectors.plan_diff(actor=actor, public_id=public_id, old=int_param(old),
                                    new=int_param(new))
        return render(request, "planning/plan_diff.html", {"diff": found,
                                                            "pathway": found.pathway})
    listed = selectors.plan_versions(actor=actor, public_id=public_id,
                                     page=int_param(request.GET.get("side")))
    return render(request, "planning/plan_versions.html",
                  {"listed": listed, "pathway": listed.pathway, "plan": listed.plan})


@login_required
@require_safe
def plan_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    detail = selectors.plan_get(actor=actor_from_request(request, "web"), public_id=public_id,
                                with_team=False)
    if detail.plan is None:
        raise NotFound(_("This pathway has no plan yet."))
    response = HttpResponse(pdf.render(detail), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="individuell-plan.pdf"'
    return response

