"""Make `tests/helpers.py` importable as `helpers` however pytest is invoked."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
from test_tui_fixture import make_quad


@pytest.fixture
def quad(tmp_path: Path) -> Path:
    """The four-role scenario of the UI tests (test_tui_fixture), in this test's folder."""
    return make_quad(tmp_path)
