import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True, scope="session")
def files_in_a_folder_of_this_process(tmp_path_factory):
    """Uploaded files go to a folder of this test process, not to ``var/``: the processes
    of a parallel run (pytest-xdist) and earlier runs would otherwise see each other's
    files, and a second ``verslag.pdf`` is stored as ``verslag_<random>.pdf``."""
    root = tmp_path_factory.mktemp("var")
    settings.MEDIA_ROOT = root / "media"
    settings.ROADMAP_ATTACHMENTS_ROOT = root / "private" / "roadmap"
    yield


@pytest.fixture(autouse=True)
def default_language_outside_requests():
    """Every test starts in the default language (Dutch).

    A request activates its language in the thread and Django leaves it active, so
    without this the language of one test's last request would leak into the next.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def english():
    """Messages built outside a request (imports, commands) in English."""
    with translation.override("en"):
        yield


def pytest_collection_modifyitems(items):
    """Browser test cases carry the ``browser`` marker without each class declaring it, so
    ``-m "not browser"`` leaves them all out."""
    from memorandum.test import BrowserTestCase

    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, BrowserTestCase):
            item.add_marker(pytest.mark.browser)
