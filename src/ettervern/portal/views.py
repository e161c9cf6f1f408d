"""The patient's portal (/meg/) and what a next of kin or trust person sees (/delt/): plain
words, mobile first, never the clinician's pages. Every read and write goes through the same
services and selectors as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.consent_kinds import BY_CODE
from ettervern.access.policy import actor_from_request
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.patients import selectors as patient_selectors
from ettervern.patients import services as patient_services
from ettervern.patients.models import Consent
from ettervern.portal import forms as portal_forms
from ettervern.portal import selectors
from ettervern.portal.sections import PortalPage, render_list
from ettervern.web.views import FORM_ERRORS


def _not_patient(request: HttpRequest) -> HttpResponse | None:
    """Staff go to their worklist, a next of kin to what is shared with them."""
    viewer = viewer_kind(request.user)
    if viewer == "staff":
        return redirect("pathways:worklist")
    if viewer == "next_of_kin":
        return redirect("portal:shared")
    return None


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    elsewhere = _not_patient(request)
    if elsewhere is not None:
        return elsewhere
    actor = actor_from_request(request, "web")
    detail = selectors.portal_pathway(actor=actor)
    page = PortalPage(actor=actor, detail=detail)
    return render(request, "portal/home.html", {
        "detail": detail, "pathway": detail.pathway, "patient": detail.pathway.patient,
        "sections": render_list(page), "viewer": "patient"})


def _consents_page(request: HttpRequest, *, grant: Any = None, person: Any = None,
                   status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    detail = selectors.portal_pathway(actor=actor)
    overview = patient_selectors.consent_overview(actor=actor, subject=detail.pathway)
    return render(request, "portal/consents.html", {
        "pathway": detail.pathway, "overview": overview, "kinds": BY_CODE,
        "grant_form": grant or portal_forms.GrantForm(people=overview.people, prefix="grant"),
        "person_form": person or portal_forms.PersonForm(prefix="person"),
        "bound_errors": [f for f in (grant, person) if f is not None and f.errors],
    }, status=status)


@login_required
@require_safe
def consents(request: HttpRequest) -> HttpResponse:
    return _not_patient(request) or _consents_page(request)


@login_required
@require_POST
def consent_grant(request: HttpRequest) -> HttpResponse:
    elsewhere = _not_patient(request)
    if elsewhere is not None:
        return elsewhere
    actor = actor_from_request(request, "web")
    pathway = selectors.portal_pathway(actor=actor).pathway
    people = patient_selectors.consent_overview(actor=actor, subject=pathway).people
    form = portal_forms.GrantForm(request.POST, people=people, prefix="grant")
    if not form.is_valid():
        return _consents_page(request, grant=form, status=422)
    data = form.cleaned_data
    try:
        with transaction.atomic():  # every kind chosen, or none
            for kind in data["kinds"]:
                patient_services.consent_grant(
                    actor=actor, subject=pathway, next_of_kin=data["next_of_kin"], kind=kind,
                    valid_until=data["valid_until"], method=Consent.Method.DIGITAL)
    except FORM_ERRORS as exc:
        field = {"kind": "kinds"}.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, str(exc.message))
        return _consents_page(request, grant=form, status=exc.status)
    messages.success(request, _("Your consent is saved. They can see it from now on."))
    return redirect("portal:consents")


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id: Any) -> HttpResponse:
    elsewhere = _not_patient(request)
    if elsewhere is not None:
        return elsewhere
    actor = actor_from_request(request, "web")
    pathway = selectors.portal_pathway(actor=actor).pathway
    patient_services.consent_withdraw(actor=actor, subject=pathway, consent=public_id)
    messages.success(request, _("The consent is withdrawn. They can no longer see this."))
    return redirect("portal:consents")


@login_required
@require_POST
def person_add(request: HttpRequest) -> HttpResponse:
    elsewhere = _not_patient(request)
    if elsewhere is not None:
        return elsewhere
    actor = actor_from_request(request, "web")
    form = portal_forms.PersonForm(request.POST, prefix="person")
    if not form.is_valid():
        return _consents_page(request, person=form, status=422)
    pathway = selectors.portal_pathway(actor=actor).pathway
    try:
        patient_services.next_of_kin_add(actor=actor, subject=pathway, **form.cleaned_data)
    except FORM_ERRORS as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return _consents_page(request, person=form, status=exc.status)
    messages.success(request, _("%(name)s is added. Now choose what they may see.")
                     % {"name": form.cleaned_data["name"]})
    return redirect("portal:consents")


@login_required
def what_matters(request: HttpRequest) -> HttpResponse:
    elsewhere = _not_patient(request)
    if elsewhere is not None:
        return elsewhere
    actor = actor_from_request(request, "web")
    pathway = selectors.portal_pathway(actor=actor).pathway
    status = 200
    if request.method == "POST":
        form = portal_forms.WhatMattersForm(request.POST)
        if form.is_valid():
            try:
                patient_services.what_matters_save(actor=actor, subject=pathway,
                                                   **form.cleaned_data)
            except FORM_ERRORS as exc:
                form.add_error(exc.field if exc.field in form.fields else None,
                               str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Saved. The people who help you can see it."))
                return redirect("portal:home")
        else:
            status = 422
    else:
        matters = patient_selectors.what_matters_get(actor=actor, subject=pathway)
        form = portal_forms.WhatMattersForm(initial={
            "text": matters.text if matters else "",
            "contact_preference": matters.contact_preference if matters else ""})
    return render(request, "portal/what_matters.html",
                  {"form": form, "pathway": pathway,
                   "bound_errors": [form] if form.errors else []}, status=status)


@login_required
@require_safe
def shared(request: HttpRequest) -> HttpResponse:
    """For a next of kin or trust person: per patient, what was shared, and the offers for
    next of kin."""
    if viewer_kind(request.user) == "patient":
        return redirect("portal:home")
    actor = actor_from_request(request, "web")
    rows = selectors.shared_with_me(actor=actor)
    for row in rows:
        row.offers = selectors.offers_for_next_of_kin(row.pathway)
    return render(request, "portal/shared.html", {"rows": rows, "viewer": "next_of_kin"})


# --- the coordinating clinic records the patient's decisions --------------------------------

def _staff_page(request: HttpRequest, public_id: Any, *, record: Any = None, person: Any = None,
                status: int = 200) -> HttpResponse:
    if viewer_kind(request.user) == "patient":
        return redirect("portal:consents")  # the patient's own page says it in plain words
    actor = actor_from_request(request, "web")
    pathway = pathway_lookup(public_id)
    overview = patient_selectors.consent_overview(actor=actor, subject=pathway)
    return render(request, "portal/consents_staff.html", {
        "pathway": pathway, "patient": pathway.patient, "overview": overview,
        "record_form": record or portal_forms.RecordConsentForm(people=overview.people,
                                                                 prefix="record"),
        "person_form": person or portal_forms.StaffPersonForm(prefix="person"),
        "withdraw_form": portal_forms.WithdrawForm(prefix="withdraw"),
        "bound_errors": [f for f in (record, person) if f is not None and f.errors],
    }, status=status)


@login_required
@require_safe
def staff_consents(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _staff_page(request, public_id)


@login_required
@require_POST
def staff_consent_record(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    pathway = pathway_lookup(public_id)
    people = patient_selectors.consent_overview(actor=actor, subject=pathway).people
    form = portal_forms.RecordConsentForm(request.POST, people=people, prefix="record")
    if not form.is_valid():
        return _staff_page(request, public_id, record=form, status=422)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            for kind in data["kinds"]:
                patient_services.consent_grant(
                    actor=actor, subject=pathway, next_of_kin=data["next_of_kin"], kind=kind,
                    valid_from=data["valid_from"], valid_until=data["valid_until"],
                    method=data["method"])
    except FORM_ERRORS as exc:
        field = {"kind": "kinds"}.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, str(exc.message))
        return _staff_page(request, public_id, record=form, status=exc.status)
    messages.success(request, _("The patient's consent is recorded."))
    return redirect("portal:staff_consents", public_id=public_id)


@login_required
@require_POST
def staff_consent_withdraw(request: HttpRequest, public_id: Any,
                           consent_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    form = portal_forms.WithdrawForm(request.POST, prefix="withdraw")
    method = form.cleaned_data["method"] if form.is_valid() else Consent.Method.IN_PERSON
    patient_services.consent_withdraw(actor=actor, subject=pathway_lookup(public_id),
                                      consent=consent_id, method=method)
    messages.success(request, _("The consent is withdrawn."))
    return redirect("portal:staff_consents", public_id=public_id)


@login_required
@require_POST
def staff_person_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    form = portal_forms.StaffPersonForm(request.POST, prefix="person")
    if not form.is_valid():
        return _staff_page(request, public_id, person=form, status=422)
    try:
        patient_services.next_of_kin_add(actor=actor, subject=pathway_lookup(public_id),
                                         **form.cleaned_data)
    except FORM_ERRORS as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return _staff_page(request, public_id, person=form, status=exc.status)
    messages.success(request, _("%(name)s is added.") % {"name": form.cleaned_data["name"]})
    return redirect("portal:staff_consents", public_id=public_id)
