"""Where things are found: the bundled scenario and the saves folder."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SCENARIO = "circle-of-friends"


def bundled_decks() -> Path:
    """The `decks/` folder shipped beside the package (a source checkout or editable install)."""
    return Path(__file__).resolve().parent.parent / "decks"


def default_scenario() -> Path:
    """The Circle of Friends scenario: `./decks/` first (a designer editing a copy), then the
    bundled one, so `wargame` works from any directory."""
    local = Path.cwd() / "decks" / DEFAULT_SCENARIO
    if (local / "scenario.yaml").is_file():
        return local
    return bundled_decks() / DEFAULT_SCENARIO


def scenario_folders() -> list[Path]:
    """Every scenario folder under ./decks and the bundled decks (no duplicates)."""
    seen: dict[str, Path] = {}
    for root in (Path.cwd() / "decks", bundled_decks()):
        if root.is_dir():
            for p in sorted(root.iterdir()):
                if (p / "scenario.yaml").is_file() and p.name not in seen:
                    seen[p.name] = p
    return list(seen.values())
