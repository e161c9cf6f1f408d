"""The crisis plan as a PDF the patient can print or keep (fpdf2, core fonts).

The core fonts are Latin-1: Norwegian letters are in it; anything else is replaced by its
nearest plain character, or "?".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ettervern.core.dates import display_date
from ettervern.planning.crisis.phones import display_phone
from ettervern.planning.crisis.selectors import CrisisPlanView

_PLAIN = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
                        "…": "...", "\u00a0": " "})


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def crisisplan_pdf(view: CrisisPlanView) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(_("Crisis plan")))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: int = 11, style: str = "", gap: float = 2) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, size * 0.5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    plan = view.plan
    line(_("Crisis plan"), 20, "B")
    line(view.pathway.patient.full_name, 13)
    if plan is not None:
        line(_("Last changed %(on)s by %(name)s") % {"on": display_date(plan.updated_at.date()),
                                                    "name": plan.updated_by_name}, 9, gap=6)
    sections = [
        (_("Warning signs"), plan.warning_signs if plan else ""),
        (_("What I do"), plan.own_actions if plan else ""),
        (_("What others do"), plan.others_actions if plan else ""),
    ]
    for title, text in sections:
        line(title, 14, "B")
        line(text or "-", gap=5)
    line(_("Whom to call"), 14, "B")
    if not view.contacts:
        line("-", gap=5)
    for contact in view.contacts:
        line(f"{contact.name}: {display_phone(contact.phone)}", 12, "B", gap=0)
        line(contact.when or "", gap=3)
    line(_("User-controlled bed"), 14, "B")
    agreements = view.bed_agreements
    for agreement in agreements:
        line(_("Agreement with %(unit)s from %(start)s to %(end)s: up to %(stays)s stays of up "
               "to %(days)s days.") % {
            "unit": agreement.programme.unit.name,
            "start": display_date(agreement.valid_from), "end": display_date(agreement.valid_to),
            "stays": agreement.max_stays, "days": agreement.max_days_per_stay}
            + (f" {display_phone(agreement.programme.contact_phone)}"
               if agreement.programme.contact_phone else ""), gap=1)
    line((plan.bed if plan else "") or ("" if agreements else "-"))
    line(_("In an emergency, call 113."), 11, "B")
    return bytes(pdf.output())
