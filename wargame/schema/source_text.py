"""Quotes checked against the scenario's source text.

A scenario built on one document keeps a copy of it as `SOURCE.txt` beside `scenario.yaml`;
every card's `quote` must then be a passage of it, word for word, so a student reading a card
reads the source and not a paraphrase. Line breaks, runs of spaces and the style of quotation
marks do not count (a passage copied from a PDF differs in those only); anything else does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wargame.errors import Problem
from wargame.schema.scenario import Scenario
from wargame.schema.yaml_positions import KeyPath

SOURCE_FILE = "SOURCE.txt"
MAX_SOURCE_BYTES = 20 * 1024 * 1024
"""A source text is an article or a book, not a data dump: past this it is not read."""

_QUOTE_MARKS = "‘’“”'\"«»„‚"


def normalise(text: str) -> str:
    """Collapse whitespace and make every quotation mark the same; nothing else."""
    for mark in _QUOTE_MARKS:
        text = text.replace(mark, "'")
    return " ".join(text.split())


def read_source(folder: Path) -> str | None:
    """The folder's source text, or None when it has none (or it cannot be read as text)."""
    path = folder / SOURCE_FILE
    try:
        if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def check_quotes(
    scenario: Scenario, source: str, locate: Callable[[KeyPath, str], Problem]
) -> list[Problem]:
    """A problem at each `quote` that is not a passage of `source`."""
    text = normalise(source)
    problems: list[Problem] = []
    for j, deck in enumerate(scenario.decks):
        for k, card in enumerate(deck.cards):
            quote = card.source.quote
            if quote is not None and normalise(quote) not in text:
                problems.append(
                    locate(
                        ("decks", j, "cards", k, "source", "quote"),
                        f"this passage is not in {SOURCE_FILE} word for word: copy it from "
                        "there (line breaks and the style of quotation marks do not matter), "
                        "or cite the document with `citation:` instead",
                    )
                )
    return problems
