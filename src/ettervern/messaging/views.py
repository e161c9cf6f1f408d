"""The pages of messages and notifications. Each parses input, calls one selector or service,
and renders; access lives in the selectors and services (the API calls the same ones).

- staff: a pathway's messages (/forlop/<id>/meldinger/), my threads (/meldinger/);
- the patient: "Meldinger med behandleren din" (/meg/meldinger/);
- everyone signed in: my notifications (/varsler/) and the e-mail choices
  (/varsler/innstillinger/).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ettervern.access.policy import actor_from_request
from ettervern.messaging import selectors, services
from ettervern.messaging.forms import MessageForm, PreferencesForm
from ettervern.messaging.models import Thread
from ettervern.messaging.notify import KINDS
from ettervern.pathways.views import viewer_kind
from ettervern.web.views import int_param, run_service


def _thread_page(request: HttpRequest, public_id: Any, *, portal: bool,
                 form: MessageForm | None = None, failed_kind: str = "",
                 status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    kinds = [Thread.Kind.PATIENT] if portal else None
    found = selectors.pathway_threads(actor=actor, public_id=public_id, kinds=kinds,
                                      page=int_param(request.GET.get("side")))
    viewer = viewer_kind(request.user, found.basis)
    if not portal and viewer != "staff":
        return redirect("messaging:portal" if viewer == "patient" else "portal:shared")
    forms = {view.kind: (form if view.kind == failed_kind and form is not None
                         else MessageForm(prefix=view.kind)) for view in found.threads}
    for view in found.threads:
        view.form = forms[view.kind]  # type: ignore[attr-defined]
        # Oldest first on the page, as a conversation reads.
        view.shown = list(reversed(view.page.object_list))  # type: ignore[attr-defined]
    response = render(request, "messaging/portal.html" if portal else "messaging/pathway.html",
                      {"found": found, "pathway": found.pathway,
                       "patient": found.pathway.patient, "viewer": viewer,
                       "me": actor.user_pk,
                       "form_errors": [f for f in forms.values() if f.errors]},
                      status=status)
    if status == 200:
        services.threads_seen(user_id=actor.user_pk, pathway=found.pathway,
                              threads=[v.thread for v in found.threads if v.thread])
    return response


def _post(request: HttpRequest, public_id: Any, kind: str, *, portal: bool) -> HttpResponse:
    actor = actor_from_request(request, "web")
    pathway = selectors.pathway_lookup(public_id)
    form = MessageForm(request.POST, prefix=kind)
    if not form.is_valid():
        selectors.require_thread(actor, pathway, kind)
        return _thread_page(request, public_id, portal=portal, form=form, failed_kind=kind,
                            status=422)
    ok, _message, status = run_service(form, lambda: services.message_post(
        actor=actor, pathway=pathway, kind=kind, text=form.cleaned_data["text"]))
    if not ok:
        return _thread_page(request, public_id, portal=portal, form=form, failed_kind=kind,
                            status=status)
    messages.success(request, _("The message is sent."))
    if portal:
        return redirect("messaging:portal")
    return redirect(reverse("messaging:pathway", kwargs={"public_id": public_id}) + f"#{kind}")


@login_required
@require_safe
def pathway_messages(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _thread_page(request, public_id, portal=False)


@login_required
@require_POST
def message_post(request: HttpRequest, public_id: Any, kind: str) -> HttpResponse:
    selectors.kind_of(kind)
    return _post(request, public_id, kind, portal=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    public_id = selectors.patient_pathway_id(actor)
    if request.method == "POST":
        return _post(request, public_id, Thread.Kind.PATIENT, portal=True)
    return _thread_page(request, public_id, portal=True)


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    if viewer_kind(request.user) == "patient":
        return redirect("messaging:portal")
    page = selectors.inbox(actor=actor_from_request(request, "web"),
                           page=int_param(request.GET.get("side")))
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """My notifications; opening the page marks those shown read (they are seen)."""
    actor = actor_from_request(request, "web")
    page = selectors.notification_list(actor=actor, page=int_param(request.GET.get("side")))
    shown = list(page.object_list)
    response = render(request, "messaging/notifications.html", {
        "page": page, "shown": shown, "unread_count": sum(1 for n in shown if not n.read_at)})
    services.notifications_mark_read(actor=actor, ids=[n.pk for n in shown if not n.read_at])
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST, kinds=KINDS)
        if form.is_valid():
            chosen = set(form.cleaned_data["email"])
            services.preferences_set(actor=actor,
                                     email={kind: kind in chosen for kind in KINDS})
            messages.success(request, _("Your choices are saved."))
            return redirect("messaging:preferences")
        status = 422
    else:
        current = services.preferences(actor.user_pk)
        form = PreferencesForm(kinds=KINDS,
                               initial={"email": [k for k, on in current.items() if on]})
    return render(request, "messaging/preferences.html", {
        "form": form, "form_errors": [form] if form.errors else [],
        "address": getattr(request.user, "email", "")}, status=status)
