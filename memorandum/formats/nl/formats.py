from memorandum.formats.belgian import *  # noqa: F403 (one format per kind, shared)
