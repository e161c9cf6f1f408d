"""The audit log's codes in plain words for the patient's access log: what was done, in which
role, on what basis. Unknown codes fall back to a general phrase, so a new action shows
something sensible before it gets words of its own."""

from __future__ import annotations

from django.utils.translation import gettext as _


def action(code: str) -> str:
    words = {
        "pathway.view": _("Read your pathway"),
        "pathway.list": _("Saw your name in a list"),
        "pathway.edit": _("Changed the details of your pathway"),
        "pathway.transition": _("Moved your pathway to a new phase"),
        "pathway.open": _("Opened your pathway"),
        "pathway.reopen": _("Reopened your pathway"),
        "stay.manage": _("Changed a stay"),
        "stay.plan": _("Planned a stay"),
        "careteam.manage": _("Changed who is on your team"),
        "careteam.handover": _("Handed your pathway to a new coordinator"),
        "plan.view": _("Read your plan"),
        "plan.edit": _("Changed your plan"),
        "plan.contribute": _("Wrote in your plan"),
        "plan.respond": _("Answered in your plan"),
        "crisisplan.edit": _("Changed your crisis plan"),
        "mapping.rate": _("Wrote in your mapping"),
        "emergency.open": _("Opened emergency access to your pathway"),
        "emergency.review": _("Followed up an emergency access"),
        "block.create": _("Blocked a person"),
        "block.lift": _("Lifted a block"),
        "accesslog.view": _("Read who has looked at your data"),
    }
    if code in words:
        return words[code]
    return _("Read your data") if code.endswith((".view", ".list")) else _("Changed your data")


def role(code: str) -> str:
    """The role the person had (empty when it was refused)."""
    words = {
        "coordinator": _("Your coordinator"),
        "closed:coordinator": _("Your coordinator"),
        "unit:coordinating": _("Staff at your outpatient clinic"),
        "closed:unit:coordinating": _("Staff at your outpatient clinic"),
        "unit:treating": _("Staff where you stay"),
        "team:specialist_contact": _("Your contact person in specialist care"),
        "team:municipal_contact": _("Your contact person in the municipality"),
        "team:nav_contact": _("Your NAV contact"),
        "team:gp": _("Your GP"),
        "patient": _("You"),
        "emergency": _("Health personnel with emergency access"),
        "unit:emergency-review": _("The unit's leader or staff following up"),
    }
    if code.startswith("consent:"):
        return _("Next of kin or trust person, with your consent")
    return words.get(code, "")


def basis(code: str, *, allowed: bool) -> str:
    """On what basis (or why it was refused)."""
    if not allowed:
        if code == "blocked":
            return _("Refused: you have blocked this person")
        return _("Refused: no access")
    if code == "patient":
        return _("Your own data")
    if code.startswith("consent:"):
        return _("Your consent")
    if code.startswith(("coordinator", "closed:coordinator", "team:")):
        return _("Their role on your care team")
    if code.startswith(("unit:", "closed:unit:")):
        return _("Their work at a unit that treats you")
    return _("Their work")


def emergency_basis(reason: str) -> str:
    if not reason:
        return _("Emergency access")
    return _("Emergency access. Reason given: %(reason)s") % {"reason": reason}
