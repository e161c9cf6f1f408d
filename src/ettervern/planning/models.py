"""Planning's models live beside their capability, each in its own folder with its services,
selectors, endpoints and pages (docs/decisions/0015-planning-layout.md); importing them here
registers them with the app."""

from ettervern.planning.checklist import models as checklist  # noqa: F401
from ettervern.planning.crisis import models as crisis  # noqa: F401
from ettervern.planning.mapping import models as mapping  # noqa: F401
from ettervern.planning.plan import models as plan  # noqa: F401
