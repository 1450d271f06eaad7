"""wargame: a turn-based strategic scenario wargame engine.

The engine is pure and deterministic; the shells (CLI, Textual UI) are thin layers over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
