"""Allow `python -m wargame`."""

from __future__ import annotations

from wargame.cli import main

raise SystemExit(main())
