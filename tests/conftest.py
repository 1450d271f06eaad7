"""Make `tests/helpers.py` importable as `helpers` however pytest is invoked."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
