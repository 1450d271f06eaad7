"""The flag and tag names a scenario uses. Flags and tags are declared by use, so their names
are collected from the whole scenario: the reference checks report a flag never set or a tag no
card carries, and the compiler interns every name as an index."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from wargame.schema.cards import Card
from wargame.schema.language import FlagCondition, FlagEffect, FlagMetric, ModifierEffect
from wargame.schema.scenario import Scenario


@dataclass(frozen=True, slots=True)
class FlagsAndTags:
    """The flag and tag names a scenario uses (flags and tags are declared by use)."""

    flags: frozenset[str]
    """Every flag named anywhere: set by an effect, tested by a condition, read by a metric."""
    flags_set: frozenset[str]
    """The flags some effect sets or clears."""
    tags: frozenset[str]
    """Every tag: on a card or in a modifier."""
    card_tags: frozenset[str]
    """The tags some card carries."""


def flags_and_tags(scenario: Scenario) -> FlagsAndTags:
    flags: set[str] = set()
    flags_set: set[str] = set()
    tags: set[str] = set()
    card_tags: set[str] = set()
    for node in _nodes(scenario):
        if isinstance(node, FlagEffect):
            flags_set.add(node.flag)
            flags.add(node.flag)
        elif isinstance(node, FlagCondition | FlagMetric):
            flags.add(node.flag)
        elif isinstance(node, Card):
            card_tags.update(node.tags)
            tags.update(node.tags)
        elif isinstance(node, ModifierEffect):
            tags.update(node.tags)
    return FlagsAndTags(
        frozenset(flags), frozenset(flags_set), frozenset(tags), frozenset(card_tags)
    )


def _nodes(node: object) -> Iterable[BaseModel]:
    """Every model below `node`, depth first; the scenario is small and validated, so this is
    cheap and finite."""
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            yield item
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
