"""The mapping's pages: the overview (chart and table, and a new round for clinicians), one
round with the clinician's and the patient's forms, and the chart as an SVG image."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ettervern.access.policy import MAPPING_RATE, PLAN_RESPOND, actor_from_request, require
from ettervern.pathways.selectors import pathway_lookup
from ettervern.pathways.views import viewer_kind
from ettervern.planning.mapping import selectors, services
from ettervern.planning.mapping.chart import HEIGHT, WIDTH, mapping_chart_svg
from ettervern.planning.mapping.forms import AssessmentForm, RoundStartForm, assessment_initial
from ettervern.planning.mapping.models import SCALE, Assessment, LifeArea
from ettervern.web.views import run_service

# The chart is an image document of its own: pygal styles it with a <style> element, which the
# site's policy (no inline style) would block; nothing in it runs script.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _overview(request: HttpRequest, public_id: Any, *, form: RoundStartForm | None = None,
              status: int = 200) -> HttpResponse:
    overview = selectors.mapping_overview(actor=actor_from_request(request, "web"),
                                          public_id=public_id)
    if overview.can_rate and form is None:
        form = RoundStartForm()
    rows = [(view, area, view.score("clinician", area), view.score("patient", area))
            for view in reversed(overview.rounds) for area in overview.areas]
    return render(request, "planning/mapping_overview.html", {
        "overview": overview, "pathway": overview.pathway, "patient": overview.pathway.patient,
        "viewer": viewer_kind(request.user, overview.basis),
        "form": form if overview.can_rate else None,
        "forms_with_errors": [form] if form is not None and form.errors else [],
        "rows": rows, "scale": SCALE.items(),
        "chart_width": WIDTH, "chart_height": HEIGHT * len(overview.areas),
    }, status=status)


@login_required
@require_safe
def mapping_overview(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _overview(request, public_id)


@login_required
@require_POST
def mapping_round_start(request: HttpRequest, public_id: Any) -> HttpResponse:
    actor = actor_from_request(request, "web")
    pathway = pathway_lookup(public_id)
    form = RoundStartForm(request.POST)
    status = 422
    if not form.is_valid():
        require(actor, pathway, MAPPING_RATE)
    else:
        ok, started, status = run_service(form, lambda: services.mapping_round_start(
            actor=actor, pathway=pathway, on=form.cleaned_data["on"]))
        if ok and started is not None:
            messages.success(request, _("A new mapping is started."))
            return redirect(reverse("planning:mapping_round",
                                    kwargs={"round_id": started.public_id}))
    return _overview(request, public_id, form=form, status=status)


@login_required
@require_safe
def mapping_chart(request: HttpRequest, public_id: Any) -> HttpResponse:
    overview = selectors.mapping_overview(actor=actor_from_request(request, "web"),
                                          public_id=public_id)
    response = HttpResponse(mapping_chart_svg(overview), content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def _round_page(request: HttpRequest, round_id: Any, *, bound: AssessmentForm | None = None,
                status: int = 200) -> HttpResponse:
    detail = selectors.mapping_round_get(actor=actor_from_request(request, "web"),
                                         public_id=round_id)
    view, areas = detail.view, detail.areas
    sides = []
    for source, allowed, title in (
        (Assessment.Source.CLINICIAN, detail.can_rate, _("The clinician's rating")),
        (Assessment.Source.PATIENT, detail.can_respond, _("My own assessment")
         if hasattr(request.user, "patient") else _("The patient's own assessment")),
    ):
        form = None
        if allowed:
            form = bound if bound is not None and bound.data.get("source") == source else (
                AssessmentForm(initial=assessment_initial(view, source, areas), areas=areas,
                               prefix=None))
        scores = [(area, view.score(source, area)) for area in areas]
        sides.append({"source": source, "title": title, "form": form,
                      "assessment": view.side(source), "scores": scores})
    mapping_round = view.round
    return render(request, "planning/mapping_round.html", {
        "round": mapping_round, "pathway": mapping_round.pathway,
        "patient": mapping_round.pathway.patient, "sides": sides, "scale": SCALE.items(),
        "forms_with_errors": [bound] if bound is not None and bound.errors else [],
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mapping_round(request: HttpRequest, round_id: Any) -> HttpResponse:
    if request.method != "POST":
        return _round_page(request, round_id)
    actor = actor_from_request(request, "web")
    target = selectors.mapping_round_lookup(round_id)
    source = request.POST.get("source", "")
    action = PLAN_RESPOND if source == Assessment.Source.PATIENT else MAPPING_RATE
    areas = list(LifeArea.objects.filter(active=True))
    form = AssessmentForm(request.POST, areas=areas)
    status = 422
    if not form.is_valid():
        require(actor, target.pathway, action, obj=target)
    else:
        data = form.cleaned_data
        ok, _saved, status = run_service(form, lambda: services.mapping_assess(
            actor=actor, round=target, source=data["source"], expected_version=data["version"],
            scores=services.scores_from(data, [a.code for a in areas])))
        if ok:
            messages.success(request, _("The mapping is saved."))
            return redirect(reverse("planning:mapping_round", kwargs={"round_id": round_id}))
    return _round_page(request, round_id, bound=form, status=status)
