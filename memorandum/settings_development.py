"""Development settings: :mod:`memorandum.settings` with ``MEMORANDUM_ENV=development`` chosen.

The test suite runs on this module (pyproject's pytest configuration), so tests never depend
on the environment of the shell that starts them. Anything else chooses development with the
environment variable (``make demo`` exports it).
"""

import os

os.environ["MEMORANDUM_ENV"] = "development"

from memorandum.settings import *  # noqa: E402, F403
