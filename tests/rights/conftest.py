from tests.pathways.helpers import *  # noqa: F403
