"""Packaging checks: the engine stands alone."""

import subprocess
import sys

import ranking


def test_import_does_not_load_django():
    """`import ranking` pulls in neither Django nor the test-only reference libraries."""
    code = (
        "import sys, ranking, ranking.cli; "
        "bad = [m for m in ('django', 'pref_voting', 'choix') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_public_api_is_exported():
    """Every name in __all__ exists."""
    for name in ranking.__all__:
        assert hasattr(ranking, name), name


def test_import_does_not_load_scipy():
    """scipy is imported on first use: a short ``memorandum-rank`` run never pays for it."""
    code = "import sys, ranking, ranking.cli; sys.exit(1 if 'scipy' in sys.modules else 0)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
