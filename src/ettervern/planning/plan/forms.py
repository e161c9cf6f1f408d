"""The plan's page forms: they parse and check the shape of input only; rules live in the
services. Field names match the `field` the services put on their errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.catalogue.models import Level, Offer
from ettervern.directory.models import Staff
from ettervern.pathways.forms import DateInput, conditional
from ettervern.planning.plan import versions
from ettervern.planning.plan.models import (
    COMMENT_MAX_LENGTH,
    MEASURE_TEXT_MAX_LENGTH,
    PLAN_TEXT_FIELDS,
    PLAN_TEXT_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    Measure,
)

# The plan's texts are the patient's words: they get room to write.
HINTS: dict[str, Any] = {
    "goals": _("What the patient wants to achieve, as they say it."),
    "participants": _("People and services taking part beyond the care team."),
}


class TeamField(forms.ModelChoiceField):
    """A person on the care team, by public id (internal keys stay internal)."""

    def __init__(self, team: list[Staff], **kwargs: Any) -> None:
        super().__init__(queryset=Staff.objects.filter(pk__in=[p.pk for p in team]),
                         to_field_name="public_id", **kwargs)
        # The choices come from the list already loaded, not from another query.
        self.choices = [("", "---------")] + [(str(p.public_id), p.name) for p in team]

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OfferField(forms.UUIDField):
    """An offer from the catalogue, by public id, grouped by level in the list. The form checks
    the shape only; the service decides whether the offer is available to the pathway and says
    why not."""

    def __init__(self, offers: list[Offer], **kwargs: Any) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        labels = dict(Level.choices)
        for offer in offers:
            groups.setdefault(offer.level, []).append(
                (str(offer.public_id), f"{offer.name} – {offer.provider_name}"))
        choices: list[Any] = [("", _("No offer (free text only)"))]
        choices += [(labels[level], options) for level, options in groups.items()]
        super().__init__(widget=forms.Select(choices=choices), **kwargs)


def _text(label: Any, limit: int = PLAN_TEXT_MAX_LENGTH, rows: int = 3,
          help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=limit, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PlanForm(VersionedForm):
    def __init__(self, *args: Any, team: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"] = TeamField(
            team, label=_("The plan's coordinator"), required=False,
            help_text=_("The pathway's coordinator or another person on the care team."))
        self.fields["period_start"] = forms.DateField(label=_("Plan period from"),
                                                      required=False, widget=DateInput())
        self.fields["period_end"] = forms.DateField(label=_("Plan period to"), required=False,
                                                    widget=DateInput())
        self.fields["next_revision_on"] = forms.DateField(label=_("Next revision"),
                                                          required=False, widget=DateInput())
        for name in PLAN_TEXT_FIELDS:
            self.fields[name] = _text(versions.TEXT_LABELS[name], help_text=HINTS.get(name, ""))


class SectionForm(VersionedForm):
    goals = _text(_("Goals, in the patient's own words"))


class MeasureForm(VersionedForm):
    # Needed unless an offer is chosen (the service says so): not marked optional.
    description = conditional(forms.CharField(
        label=_("Measure"), required=False, max_length=MEASURE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In your own words. May be left empty when you choose an offer below.")))
    responsible_service = forms.CharField(
        label=_("Responsible service"), required=False, max_length=SERVICE_MAX_LENGTH,
        help_text=_("Left empty: the responsible person's unit."))
    start_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_on = forms.DateField(label=_("End"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices,
                               initial=Measure.Status.PLANNED)

    def __init__(self, *args: Any, team: list[Staff], offers: list[Offer],
                 current_offer: Offer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_offer is not None and current_offer not in offers:
            # Kept when the measure is saved again, though no longer offered to the patient.
            offers = [*offers, current_offer]
        self.fields["offer"] = OfferField(
            offers, label=_("Offer from the catalogue"), required=False,
            help_text=_("The offers for this patient: from their municipality and NAV office, "
                        "from the hospital trusts and providers of the pathway, and those every "
                        "municipality, NAV office or trust has."))
        self.fields["responsible"] = TeamField(
            team, label=_("Responsible person"),
            help_text=_("Someone on the care team."))
        self.order_fields(["version", "description", "offer", "responsible",
                           "responsible_service", "start_on", "end_on", "status"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end is before the start."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))
