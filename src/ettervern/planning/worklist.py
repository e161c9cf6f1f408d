"""What planning adds to a worklist page: the checklist's progress ("5/11" in pre-admission)
and the individual plan's flags. One call for the page and the API, one query each for the
whole page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ettervern.planning.checklist.selectors import checklist_progress_for
from ettervern.planning.plan.selectors import attach_plan_flags


def attach_worklist_figures(rows: Sequence[Any]) -> None:
    checklist_progress_for([row.pathway for row in rows])
    attach_plan_flags(rows)
