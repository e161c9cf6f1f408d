"""The plan as a PDF a GP would file: a header and page numbers on every page, the patient,
the coordinator, the plan's texts, each section with its measures, and the patient's consent.

fpdf2 (pure Python) draws it. The font is DejaVu Sans, shipped beside this module (fonts/,
Bitstream Vera licence), so that every name prints: Sámi letters (ŋ, đ, š) are outside the
PDF core fonts' Latin-1.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.planning.plan.models import PLAN_TEXT_FIELDS, Measure
from ettervern.planning.plan.selectors import PlanDetail
from ettervern.planning.plan.versions import TEXT_LABELS

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"


class _Document(FPDF):
    def __init__(self, patient_line: str) -> None:
        super().__init__(format="A4")
        self.patient_line = patient_line
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 20, 20)

    def header(self) -> None:
        self.set_font(FAMILY, "B", 9)
        self.cell(0, 5, _("INDIVIDUAL PLAN FOR INTEGRATED AFTERCARE"),
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 9)
        self.cell(0, 5, self.patient_line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(20, self.get_y() + 1, 190, self.get_y() + 1)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, "", 8)
        printed = _("Printed %(on)s") % {"on": display_date(clock.today())}
        self.cell(85, 8, printed)
        self.cell(85, 8, _("Page %(page)s of %(pages)s") % {"page": self.page_no(),
                                                            "pages": "{nb}"}, align="R")


def _heading(doc: _Document, text: str, size: int = 12) -> None:
    doc.ln(2)
    doc.set_font(FAMILY, "B", size)
    doc.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 10)


def _fact(doc: _Document, label: str, value: str) -> None:
    doc.set_font(FAMILY, "B", 10)
    doc.cell(55, 6, label)
    doc.set_font(FAMILY, "", 10)
    doc.multi_cell(0, 6, value or "–", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _date(value: object) -> str:
    return display_date(value) if value else "–"  # type: ignore[arg-type]


def _measure(doc: _Document, measure: Measure) -> None:
    doc.set_font(FAMILY, "B", 10)
    doc.multi_cell(0, 5, f"• {measure.label}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 9)
    if measure.offer is not None:
        doc.set_x(25)
        doc.multi_cell(0, 5, _("Offer: %(name)s (%(provider)s)") % {
            "name": measure.offer.name, "provider": measure.offer.provider_name},
            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_x(25)
    doc.multi_cell(0, 5, _("Responsible: %(name)s, %(service)s. %(start)s – %(end)s. %(status)s.")
                   % {"name": measure.responsible.name, "service": measure.responsible_service,
                      "start": _date(measure.start_on), "end": _date(measure.end_on),
                      "status": measure.get_status_display()},
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(1)


def render(detail: PlanDetail) -> bytes:
    plan = detail.plan
    assert plan is not None
    patient = detail.pathway.patient
    doc = _Document(f"{patient.full_name}, {patient.national_id}")
    doc.add_page()
    doc.set_title(_("Individual plan"))
    _heading(doc, _("Individual plan for integrated aftercare"), 16)
    _fact(doc, _("Patient"), f"{patient.full_name} ({_('born')} {_date(patient.birth_date)})")
    _fact(doc, _("National identity number"), patient.national_id)
    _fact(doc, _("Coordinator"), plan.coordinator.name if plan.coordinator else "")
    _fact(doc, _("Coordinating unit"), detail.pathway.coordinating_unit.name)
    _fact(doc, _("Plan period"), f"{_date(plan.period_start)} – {_date(plan.period_end)}")
    _fact(doc, _("Next revision"), _date(plan.next_revision_on))
    _fact(doc, _("Deadline"), _("At the latest before discharge (%(on)s)")
          % {"on": _date(detail.deadline)})
    _fact(doc, _("Version"), _("%(number)s, saved %(on)s") % {
        "number": plan.version, "on": display_date(plan.updated_at.date())})
    for name in PLAN_TEXT_FIELDS:
        text = getattr(plan, name)
        if text:
            _heading(doc, str(TEXT_LABELS[name]), 11)
            doc.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in detail.sections:
        _heading(doc, section.section_type.title.upper(), 12)
        contacts = detail.contacts.get(section.section_type.contact_role, [])
        if section.section_type.contact_role:
            _fact(doc, _("Contact person"), ", ".join(contacts))
        if section.goals:
            _fact(doc, _("Goals"), section.goals)
        measures = detail.measures.get(section.pk, [])
        for measure in measures:
            _measure(doc, measure)
        if not section.goals and not measures:
            doc.multi_cell(0, 5, _("Nothing planned yet."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _heading(doc, _("The patient's consent"), 12)
    if plan.agreed_to_current and plan.agreed_at:
        consent = _("The patient has read the plan and agrees (%(on)s, version %(version)s).") % {
            "on": display_date(plan.agreed_at.date()), "version": plan.agreed_version}
    elif plan.agreed_at:
        consent = _("The patient agreed to an earlier version (%(on)s, version %(version)s) and "
                    "has not yet agreed to this one.") % {
            "on": display_date(plan.agreed_at.date()), "version": plan.agreed_version}
    else:
        consent = _("The patient has not yet agreed to the plan.")
    doc.multi_cell(0, 5, consent, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(doc.output())
