"""Load a scenario folder (scenario.yaml plus deck files) into a validated Scenario.

Provisional minimal loader; the position-recording loader replaces it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from wargame.errors import DeckError, Problem
from wargame.schema.cards import Deck
from wargame.schema.scenario import Scenario


def load_scenario(path: str | Path) -> Scenario:
    root = Path(path)
    scen_file = root / "scenario.yaml" if root.is_dir() else root
    data = yaml.safe_load(scen_file.read_text(encoding="utf-8"))
    decks = []
    if root.is_dir():
        for f in sorted(root.rglob("*.yaml")):
            if f == scen_file:
                continue
            decks.append(Deck.model_validate(yaml.safe_load(f.read_text(encoding="utf-8"))))
    try:
        scen = Scenario.model_validate(data)
    except Exception as exc:  # noqa: BLE001
        raise DeckError([Problem(str(scen_file), 1, 1, "", str(exc))]) from exc
    return scen.model_copy(update={"decks": decks})
