from tests.api.conftest import *  # noqa: F403
from tests.pathways.helpers import *  # noqa: F403
