"""Settings of the benchmark's server: the application's, plus the peer's URL (``bench/peer.py``)."""

from memorandum.settings import *  # noqa: F403 - the application's settings, unchanged

ROOT_URLCONF = "bench.peer"
