"""The mapping's page forms: a date for a new round, and one side of a round (a step on the
scale and a comment per life area). Shape only; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.pathways.forms import DateInput
from ettervern.planning.mapping.models import COMMENT_MAX_LENGTH, SCALE, LifeArea
from ettervern.planning.mapping.selectors import RoundView


class RoundStartForm(forms.Form):
    on = forms.DateField(label=_("Date of the mapping"), widget=DateInput, initial=clock.today)


class AssessmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    source = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, areas: list[LifeArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        choices = [("", _("Not rated"))] + [(str(k), f"{k} – {v}") for k, v in SCALE.items()]
        for area in areas:
            self.fields[f"{area.code}-score"] = forms.TypedChoiceField(
                label=area.name, choices=choices, required=False, coerce=int,
                empty_value=None, widget=forms.RadioSelect)
            self.fields[f"{area.code}-comment"] = forms.CharField(
                label=_("Comment on %(area)s") % {"area": area.name}, required=False,
                max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{a.code}-score"], self[f"{a.code}-comment"]) for a in self.areas]


def assessment_initial(view: RoundView, source: str, areas: list[LifeArea]) -> dict[str, Any]:
    side = view.side(source)
    initial: dict[str, Any] = {"version": side.version if side else 0, "source": source}
    for area in areas:
        score = view.score(source, area)
        if score is not None:
            initial[f"{area.code}-score"] = str(score.score)
            initial[f"{area.code}-comment"] = score.comment
    return initial
