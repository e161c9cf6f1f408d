"""The crisis plan's pages: the plan (a form for those who may edit it, plain reading for the
rest, the patient's own layout for the patient), its PDF, and what makes the page usable
offline on the patient's request: a manifest and a service worker whose scope is the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ettervern.access.policy import CRISIS_EDIT, actor_from_request, require
from ettervern.core.errors import DomainError
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.planning.crisis import selectors, services
from ettervern.planning.crisis.forms import ContactFormSet, CrisisPlanForm, initial_contacts
from ettervern.planning.crisis.pdf import crisisplan_pdf
from ettervern.web.views import FORM_ERRORS

_SW = Path(__file__).resolve().parent.parent / "static" / "planning" / "crisis-sw.js"
_CONTACT_FIELD = re.compile(r"^contacts\.(\d+)\.(\w+)$")


def _page_url(public_id: Any) -> str:
    return reverse("planning:crisis_plan", kwargs={"public_id": public_id})


def _render(request: HttpRequest, view: selectors.CrisisPlanView, *,
            form: CrisisPlanForm | None = None, contacts: Any = None,
            status: int = 200) -> HttpResponse:
    pathway = view.pathway
    context: dict[str, Any] = {"view": view, "pathway": pathway, "patient": pathway.patient,
                               "plan": view.plan, "contacts": view.contacts,
                               "page_url": _page_url(pathway.public_id)}
    viewer = viewer_kind(request.user, view.basis)
    if viewer != "staff":
        context["viewer"] = viewer
        return render(request, "planning/crisis_plan_personal.html", context, status=status)
    if view.can_edit:
        plan = view.plan
        context["form"] = form or CrisisPlanForm(initial={
            "version": view.version,
            "warning_signs": plan.warning_signs if plan else "",
            "own_actions": plan.own_actions if plan else "",
            "others_actions": plan.others_actions if plan else "",
            "bed": plan.bed if plan else ""})
        context["contact_forms"] = contacts or ContactFormSet(
            prefix="contact", initial=initial_contacts(view.contacts))
        errors = [context["form"], *[f for f in context["contact_forms"] if f.errors]]
        context["forms_with_errors"] = [f for f in errors if f.errors]
        context["formset_errors"] = context["contact_forms"].non_form_errors()
    return render(request, "planning/crisis_plan.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def crisis_plan(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    if request.method != "POST":
        return _render(request, selectors.crisisplan_get(actor=actor, public_id=public_id))
    pathway = pathway_lookup(public_id)
    form = CrisisPlanForm(request.POST)
    contacts = ContactFormSet(request.POST, prefix="contact")
    status = 422
    if not (form.is_valid() and contacts.is_valid()):
        require(actor, pathway, CRISIS_EDIT)  # someone without the right is refused, not taught
    else:
        rows = [f for f in contacts if not f.is_blank]
        data = form.cleaned_data
        try:
            services.crisisplan_save(
                actor=actor, pathway=pathway, expected_version=data["version"],
                warning_signs=data["warning_signs"], own_actions=data["own_actions"],
                others_actions=data["others_actions"], bed=data["bed"],
                contacts=[services.ContactData(name=f.cleaned_data["name"],
                                               phone=f.cleaned_data["phone"],
                                               when=f.cleaned_data["when"]) for f in rows])
        except FORM_ERRORS as exc:
            _place_error(exc, form, rows)
            status = exc.status
        else:
            messages.success(request, _("The crisis plan is saved."))
            return redirect(_page_url(public_id))
    view = selectors.crisisplan_get(actor=actor, public_id=public_id)
    return _render(request, view, form=form, contacts=contacts, status=status)


def _place_error(exc: DomainError, form: CrisisPlanForm, rows: list[Any]) -> None:
    match = _CONTACT_FIELD.match(exc.field or "")
    if match and int(match.group(1)) < len(rows):
        rows[int(match.group(1))].add_error(match.group(2), str(exc.message))
    else:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@login_required
@require_safe
def crisis_plan_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    view = selectors.crisisplan_get(actor=actor_from_request(request, "web"), public_id=public_id)
    response = HttpResponse(crisisplan_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="kriseplan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- offline: only on the patient's request, only this page ---------------------------------
# Neither the worker nor the manifest holds patient data; they only name the page's path.

@require_safe
def crisis_plan_sw(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The service worker, served from the page's own folder so that its scope can be the
    page's path and nothing else of the site."""
    response = HttpResponse(_SW.read_text(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def crisis_plan_manifest(request: HttpRequest, public_id: Any) -> HttpResponse:
    page = _page_url(public_id)
    manifest = {
        "name": _("My crisis plan"), "short_name": _("Crisis plan"),
        "start_url": page, "scope": page, "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1d4f7a",
        "lang": request.LANGUAGE_CODE,
        "icons": [{"src": static("web/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False),
                        content_type="application/manifest+json")
