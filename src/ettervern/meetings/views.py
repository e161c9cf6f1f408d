"""The pages of meetings. Each parses input, calls one selector or service, and renders; the
rules live in the services (the API calls the same ones).

- the pathway's meetings (the team; the patient and a next of kin with consent in plain words)
  and the form to arrange one;
- one meeting: participants, agenda and minutes, decisions (and their tasks), the .ics file of
  each participant, marking it held and cancelling it (both asked first);
- the patient's own meetings (/meg/moter/).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ettervern.access.policy import MEETING_MANAGE, actor_from_request, allowed_actions, require
from ettervern.meetings import forms as meeting_forms
from ettervern.meetings import selectors, services
from ettervern.meetings.ics import CONTENT_TYPE
from ettervern.meetings.models import Meeting
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.rights.services import patient_of
from ettervern.tasks.selectors import owner_name
from ettervern.web.views import confirmation, run_service


def _errors(*forms_: Any) -> list[Any]:
    return [f for f in forms_ if f is not None and f.errors]


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", kwargs={"public_id": meeting.public_id})


# --- the pathway's meetings ---------------------------------------------------------------------

def _pathway_page(request: HttpRequest, public_id: Any, form: Any = None,
                  status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    pathway, meetings = selectors.pathway_meetings(actor=actor, public_id=public_id)
    bases = pathway.access_bases(request.user)  # type: ignore[arg-type]
    allowed = allowed_actions(bases)
    viewer = viewer_kind(request.user, bases[0] if bases else None)
    manage = viewer == "staff" and MEETING_MANAGE in allowed and pathway.is_open
    if manage and form is None:
        form = meeting_forms.ArrangeForm(initial=meeting_forms.ArrangeForm.initial_for(None))
    return render(request, "meetings/pathway_meetings.html", {
        "pathway": pathway, "patient": pathway.patient, "meetings": meetings,
        "viewer": viewer, "form": form if manage else None,
        "form_errors": _errors(form)}, status=status)


@login_required
@require_safe
def pathway_meetings(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _pathway_page(request, public_id)


@login_required
@require_POST
def meeting_arrange(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    # Looked up without a decision: the service decides (and audits) once; a form that does
    # not validate asks the policy itself before it says what is wrong.
    pathway = pathway_lookup(public_id)
    form = meeting_forms.ArrangeForm(request.POST)
    status = 422
    if not form.is_valid():
        require(actor, pathway, MEETING_MANAGE)
    else:
        data = form.cleaned_data
        ok, meeting, status = run_service(form, lambda: services.meeting_arrange(
            actor=actor, pathway=pathway, kind=data["kind"], starts_at=data["starts_at"],
            ends_at=data["ends_at"], place=data["place"], video_link=data["video_link"],
            agenda=data["agenda"]))
        if ok and meeting is not None:
            messages.success(request, _("The meeting is arranged. Invite the participants."))
            return redirect(_meeting_url(meeting))
    return _pathway_page(request, public_id, form, status)


# --- one meeting ------------------------------------------------------------------------------

def _meeting_page(request: HttpRequest, public_id: Any, forms_: dict[str, Any] | None = None,
                  status: int = 200) -> HttpResponse:
    actor = actor_from_request(request, "web")
    meeting = selectors.meeting_get(actor=actor, public_id=public_id)
    bases = meeting.access_bases(request.user)  # type: ignore[arg-type]
    allowed = allowed_actions(bases)
    viewer = viewer_kind(request.user, bases[0] if bases else None)
    manage = (viewer == "staff" and MEETING_MANAGE in allowed and meeting.pathway.is_open)
    given = forms_ or {}
    context: dict[str, Any] = {
        "meeting": meeting, "pathway": meeting.pathway, "patient": meeting.pathway.patient,
        "viewer": viewer, "manage": manage,
        "participants": list(meeting.participants.all()),
        "decisions": list(meeting.decisions.all())}
    for decision in context["decisions"]:
        if decision.task is not None:
            decision.task_owner = owner_name(decision.task)
    if manage:
        planned = meeting.status == Meeting.Status.PLANNED
        context["participant_form"] = given.get("participant") or (
            meeting_forms.ParticipantForm(choices=selectors.invitable(meeting))
            if planned else None)
        context["update_form"] = given.get("update") or (
            meeting_forms.UpdateForm(initial=meeting_forms.UpdateForm.initial_for(meeting))
            if planned else None)
        if meeting.status != Meeting.Status.CANCELLED:
            context["notes_form"] = given.get("notes") or meeting_forms.NotesForm(initial={
                "version": meeting.version, "agenda": meeting.agenda,
                "minutes": meeting.minutes})
            context["decision_form"] = given.get("decision") or meeting_forms.DecisionForm()
        context["may_mark_held"] = planned and meeting.starts_at <= _now()
        owners = selectors.task_owners(meeting)
        for decision in context["decisions"]:
            decision.task_form = (
                given.get(f"task-{decision.public_id}")
                or meeting_forms.TaskForm(choices=owners, prefix=f"task-{decision.public_id}"))
    context["form_errors"] = _errors(*given.values())
    return render(request, "meetings/meeting.html", context, status=status)


def _now() -> Any:
    from ettervern.core import clock

    return clock.now()


@login_required
@require_safe
def meeting(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _meeting_page(request, public_id)


def _write(request: HttpRequest, public_id: Any, key: str, form: Any,
           call: Any, done: str) -> HttpResponse:
    """A form on the meeting page: valid, the service; else the page again with its errors.
    An invalid form asks the policy first, so that someone refused learns nothing."""
    actor = actor_from_request(request, "web")
    meeting = selectors.meeting_lookup(public_id)
    status = 422
    if not form.is_valid():
        require(actor, meeting, MEETING_MANAGE)
    else:
        ok, _result, status = run_service(form, lambda: call(actor, meeting, form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect(_meeting_url(meeting))
    return _meeting_page(request, public_id, {key: form}, status)


@login_required
@require_POST
def meeting_update(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _write(
        request, public_id, "update", meeting_forms.UpdateForm(request.POST),
        lambda actor, meeting, data: services.meeting_update(
            actor=actor, meeting=meeting, expected_version=data["version"],
            starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"],
            video_link=data["video_link"]),
        _("The meeting is changed. The participants are told."))


@login_required
@require_POST
def meeting_notes(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _write(
        request, public_id, "notes", meeting_forms.NotesForm(request.POST),
        lambda actor, meeting, data: services.meeting_write(
            actor=actor, meeting=meeting, expected_version=data["version"],
            agenda=data["agenda"], minutes=data["minutes"]),
        _("The agenda and minutes are saved."))


@login_required
@require_POST
def decision_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _write(
        request, public_id, "decision", meeting_forms.DecisionForm(request.POST),
        lambda actor, meeting, data: services.decision_add(actor=actor, meeting=meeting,
                                                           text=data["text"]),
        _("The decision is recorded."))


@login_required
@require_POST
def participant_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    meeting = selectors.meeting_lookup(public_id)
    form = meeting_forms.ParticipantForm(request.POST, choices=selectors.invitable(meeting))

    def add(actor: Any, meeting: Meeting, data: dict[str, Any]) -> Any:
        person = data["person"]
        kind, _sep, ref = person.partition(":")
        return services.participant_add(
            actor=actor, meeting=meeting, staff=ref if kind == "staff" else None,
            patient=kind == "patient", next_of_kin=ref if kind == "kin" else None,
            email=data["email"])

    del actor
    return _write(request, public_id, "participant", form, add,
                  _("The participant is invited."))


def _confirm(request: HttpRequest, question: str, consequence: str, button: str,
             back: str) -> HttpResponse | None:
    if request.POST.get("confirmed") == "yes":
        return None
    return confirmation(request, question, consequence, button, back)


def _asked(request: HttpRequest, public_id: Any) -> Meeting:
    """The meeting a step names. Before the confirmation, which shows it, the policy decides
    (and audits); the confirmed POST leaves that to the service, so each request is decided
    and audited once."""
    if request.POST.get("confirmed") == "yes":
        return selectors.meeting_lookup(public_id)
    return selectors.meeting_get(actor=actor_from_request(request, "web"),
                                 public_id=public_id, action=MEETING_MANAGE)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    meeting = _asked(request, public_id)
    when = meeting.starts_at
    asked = _confirm(
        request, _("Cancel the meeting %(when)s?") % {"when": _local(when)},
        _("Every participant is told, and the meeting is taken out of their calendars. It "
          "cannot be undone: arrange a new meeting if it is to be held after all."),
        _("Yes, cancel the meeting"), _meeting_url(meeting))
    if asked is not None:
        return asked
    services.meeting_cancel(actor=actor, meeting=meeting)
    messages.success(request, _("The meeting is cancelled. The participants are told."))
    return redirect(_meeting_url(meeting))


@login_required
@require_POST
def meeting_held(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    meeting = _asked(request, public_id)
    asked = _confirm(
        request, _("Was the meeting %(when)s held?") % {"when": _local(meeting.starts_at)},
        _("It is recorded as held, which the discharge checkpoints count. It cannot be undone; "
          "the minutes and decisions can still be written."),
        _("Yes, the meeting was held"), _meeting_url(meeting))
    if asked is not None:
        return asked
    services.meeting_mark_held(actor=actor, meeting=meeting)
    messages.success(request, _("The meeting is recorded as held."))
    return redirect(_meeting_url(meeting))


def _local(value: Any) -> str:
    from ettervern.meetings.ics import OSLO

    local = value.astimezone(OSLO)
    return f"{local:%d.%m.%Y} kl. {local:%H:%M}"


@login_required
@require_POST
def participant_remove(request: HttpRequest, public_id: Any, participant_id: Any
                       ) -> HttpResponse:
    actor = actor_from_request(request, "web")
    meeting = selectors.meeting_lookup(public_id)
    participant = selectors.participant_lookup(meeting, participant_id)
    services.participant_remove(actor=actor, participant=participant)
    messages.success(request, _("%(name)s is taken off the meeting and told.")
                     % {"name": participant.name})
    return redirect(_meeting_url(meeting))


@login_required
@require_safe
def meeting_ics(request: HttpRequest, public_id: Any, participant_id: Any) -> HttpResponse:
    download = selectors.meeting_ics(actor=actor_from_request(request, "web"),
                                     public_id=public_id, participant=participant_id)
    response = HttpResponse(download.content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@login_required
@require_POST
def decision_task(request: HttpRequest, decision_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    decision = selectors.decision_lookup(decision_id)
    meeting = selectors.meeting_lookup(decision.meeting.public_id)
    form = meeting_forms.TaskForm(request.POST, choices=selectors.task_owners(meeting),
                                  prefix=f"task-{decision.public_id}")
    status = 422
    if not form.is_valid():
        require(actor, meeting, MEETING_MANAGE)
    else:
        data = form.cleaned_data
        ok, _task, status = run_service(form, lambda: services.decision_to_task(
            actor=actor, decision=decision, owner=data["owner"], due_on=data["due_on"]))
        if ok:
            messages.success(request, _("The decision is now a task."))
            return redirect(_meeting_url(meeting))
    return _meeting_page(request, meeting.public_id, {f"task-{decision.public_id}": form},
                         status)


# --- the patient's own -----------------------------------------------------------------------

@login_required
@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request, "web")
    patient = patient_of(actor)
    meetings = selectors.own_meetings(patient)
    for item in meetings:
        item.mine = next((p for p in item.participants.all()  # type: ignore[attr-defined]
                          if p.patient_id == patient.pk), None)
    return render(request, "meetings/portal.html", {"patient": patient, "meetings": meetings})
