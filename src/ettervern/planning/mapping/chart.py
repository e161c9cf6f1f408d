"""The mapping as a chart: one small line chart per life area (pygal), the clinician's rating
and the patient's own assessment over the rounds, stacked in one SVG. A rising line is
improvement; the gap between the two lines is disagreement. The page shows the same numbers in
a table beside it (for screen readers and for anyone who prefers numbers).
"""

from __future__ import annotations

import re

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from ettervern.planning.mapping.models import SCORE_MAX, SCORE_MIN, Assessment
from ettervern.planning.mapping.selectors import MappingOverview

WIDTH, HEIGHT = 420, 230
_STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1b1f23",
    foreground_strong="#1b1f23", foreground_subtle="#5a6570",
    colors=("#1d4f7a", "#b3261e"), font_family="system-ui, sans-serif",
    title_font_size=16, label_font_size=12, major_label_font_size=12,
    legend_font_size=12, value_font_size=12,
)
_ROOT = re.compile(r"<svg\b")


def _area_chart(overview: MappingOverview, area: object, title: str) -> str:
    chart = pygal.Line(
        width=WIDTH, height=HEIGHT, explicit_size=True, style=_STYLE, title=title,
        range=(SCORE_MIN, SCORE_MAX), y_labels=list(range(SCORE_MIN, SCORE_MAX + 1)),
        show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=2,
        allow_interruptions=True, js=[], disable_xml_declaration=True, dots_size=5,
        show_y_guides=True, x_label_rotation=0, truncate_label=-1,
    )
    chart.x_labels = [r.round.on.strftime("%d.%m.%y") for r in overview.rounds]
    for source, label, dash in ((Assessment.Source.CLINICIAN, _("Clinician"), None),
                                (Assessment.Source.PATIENT, _("Patient (own assessment)"),
                                 "8,4")):
        values = []
        for view in overview.rounds:
            score = view.score(source, area)  # type: ignore[arg-type]
            values.append(score.score if score is not None else None)
        options = {"stroke_style": {"width": 3, "dasharray": dash}} if dash else {
            "stroke_style": {"width": 3}}
        chart.add(label, values, **options)
    return str(chart.render(is_unicode=True))


def mapping_chart_svg(overview: MappingOverview) -> str:
    """One SVG document: the areas' charts one below the other."""
    parts = []
    for i, area in enumerate(overview.areas):
        svg = _area_chart(overview, area, area.name)
        parts.append(_ROOT.sub(f'<svg x="0" y="{i * HEIGHT}"', svg, count=1))
    total = HEIGHT * len(overview.areas)
    label = _("Ratings per life area over time: clinician and patient")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total}" '
            f'viewBox="0 0 {WIDTH} {total}" role="img"><title>{label}</title>'
            + "".join(parts) + "</svg>")
