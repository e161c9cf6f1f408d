"""The pathway in plain words, for the patient and their next of kin (never a clinician's
table). One sentence per phase: where the person is now and what happens next."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ettervern.pathways.phases import Phase

FOR_PATIENT: dict[str, Any] = {
    Phase.CONTACT: _("The clinic has your referral or has been in touch with you. Together "
                     "you plan what comes next."),
    Phase.PRE_ADMISSION: _("You are getting ready for a stay at a residential unit. Your "
                           "coordinator helps you prepare."),
    Phase.RESIDENTIAL: _("You are staying at a residential unit. Your coordinator at the "
                         "clinic follows you through the stay and after it."),
    Phase.AFTERCARE: _("You have come home from the stay. The clinic, your municipality and "
                       "the others below follow you up."),
    Phase.CLOSED: _("This pathway has ended. Contact the clinic if you need help again."),
}

FOR_NEXT_OF_KIN: dict[str, Any] = {
    Phase.CONTACT: _("The clinic has the referral or has been in touch. Together with the "
                     "patient they plan what comes next."),
    Phase.PRE_ADMISSION: _("The patient is getting ready for a stay at a residential unit."),
    Phase.RESIDENTIAL: _("The patient is staying at a residential unit. The clinic follows "
                         "them through the stay and after it."),
    Phase.AFTERCARE: _("The patient has come home from the stay and is followed up by the "
                       "clinic, the municipality and the others below."),
    Phase.CLOSED: _("This pathway has ended."),
}


def phase_sentence(phase: str, viewer: str) -> str:
    sentences = FOR_PATIENT if viewer == "patient" else FOR_NEXT_OF_KIN
    return str(sentences.get(phase, ""))
