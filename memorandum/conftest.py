import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Messages built outside a request (imports, commands) come in English in tests.

    Without this the language of the previous request would leak into the next test.
    """
    with translation.override("en"):
        yield
