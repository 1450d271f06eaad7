"""The derived values a state keeps (statuses, masks, targets, metrics, conditions) and the
compile-time record of what each filter, metric and condition reads.

A kept value must equal the value computed from scratch after every kind of change: through
`State.evolve`, `State.with_countries_changed`, and the fields hot paths assign on a copy. And
a value must not change when only fields outside its `reads` change, or its cache keys (the
State's and the bots') would miss a dependency.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import random_playout, scenario_dirs, tables_for
from wargame import rules
from wargame.evaluate import (
    countries_where,
    country_mask,
    holds,
    institution_matches,
    metric_value,
    target_candidates,
)
from wargame.state import FIELDS, State
from wargame.tables import EVOLVED, CCondition, CFilter, CMetric, IFilter, Tables


def _walk_condition(c: CCondition | None, out: dict[str, list[Any]]) -> None:
    if c is None:
        return
    out["conditions"].append(c)
    if c.metric is not None:
        _walk_metric(c.metric, out)
    for x in c.of:
        _walk_condition(x, out)


def _walk_metric(m: CMetric | None, out: dict[str, list[Any]]) -> None:
    if m is None:
        return
    out["metrics"].append(m)
    if m.filter is not None:
        out["filters"].append(m.filter)


def compiled_parts(t: Tables) -> dict[str, list[Any]]:
    """Every compiled filter, metric and condition of a scenario."""
    out: dict[str, list[Any]] = {"filters": [], "ifilters": [], "metrics": [], "conditions": []}
    for card in t.cards:
        if isinstance(card.target_filter, CFilter):
            out["filters"].append(card.target_filter)
        elif isinstance(card.target_filter, IFilter):
            out["ifilters"].append(card.target_filter)
        for c in card.requires:
            _walk_condition(c, out)
        for mod in card.roll_mods:
            _walk_metric(mod.metric, out)
            _walk_condition(mod.when, out)
        for e in (*card.on_play, *card.on_success, *card.on_failure):
            if e.where is not None:
                out["filters"].append(e.where)
    for role in t.roles:
        for term in (*role.objectives, *role.income_terms):
            _walk_metric(term.metric, out)
            _walk_condition(term.when, out)
    for cond, effects, _ in t.drift:
        _walk_condition(cond, out)
        for e in effects:
            if e.where is not None:
                out["filters"].append(e.where)
    for cond, _, _ in t.sudden_death:
        _walk_condition(cond, out)
    return out


def derived_values(st: State, parts: dict[str, list[Any]]) -> list[Any]:
    """Everything a state derives, through the cached paths."""
    t = st.tables
    out: list[Any] = [st.status(c) for c in range(len(st.ties))]
    out += [(country_mask(st, f), countries_where(st, f)) for f in parts["filters"]]
    out += [target_candidates(st, card) for card in t.cards]
    out += [metric_value(st, m, 0) for m in parts["metrics"]]
    out += [holds(st, c, 0) for c in parts["conditions"]]
    for r in range(len(t.roles)):
        legal = rules.legal_actions(st, r)
        out.append((len(legal), [(c, legal.targets_for(c)) for c in legal.cards()]))
    return out


def fresh(st: State) -> State:
    """The same position with no derived value kept."""
    return st.recomputed()


def _games(t: Tables, seeds: range) -> list[list[State]]:
    games = []
    for seed in seeds:
        states: list[State] = []
        random_playout(t, seed, check=False, on_state=lambda s, _a, out=states: out.append(s))
        games.append(states)
    return games


SCENARIOS = scenario_dirs()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_kept_values_equal_fresh_ones_along_games(path: Any) -> None:
    """Every state of two random games, its derived values read (so later states inherit what
    their parents kept), equals the same position computed from scratch."""
    t = tables_for(path)
    parts = compiled_parts(t)
    for states in _games(t, range(2)):
        for st in states[:: max(1, len(states) // 60)]:
            assert derived_values(st, parts) == derived_values(fresh(st), parts), st


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_kept_values_after_each_kind_of_change(path: Any) -> None:
    """Each field changed on its own (through `evolve` for the fields in EVOLVED, assigned on a
    copy for the others, as the hot paths do), and ties and alliances through
    `with_countries_changed`: what is kept equals what is computed from scratch."""
    t = tables_for(path)
    parts = compiled_parts(t)
    states = _games(t, range(1))[0]
    early, late = states[len(states) // 5], states[-1]
    derived_values(early, parts)  # fill early's derived values, to be inherited
    for name in FIELDS:
        if name in EVOLVED:
            changed = early.evolve(**{name: getattr(late, name)})
        else:
            changed = early.copy()
            setattr(changed, name, getattr(late, name))
        assert derived_values(changed, parts) == derived_values(fresh(changed), parts), name
    rows = [c for c in range(len(early.ties)) if early.ties[c] != late.ties[c]]
    rows += [c for c in range(len(early.ties)) if early.alliance[c] != late.alliance[c]]
    rows += [c for c in range(len(early.ties)) if early.ally[c] != late.ally[c]]
    assert rows, "the game changed no country"
    changed = early.with_countries_changed(
        sorted(set(rows)), ties=late.ties, alliance=late.alliance, ally=late.ally
    )
    assert derived_values(changed, parts) == derived_values(fresh(changed), parts)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_reads_name_every_field_a_value_depends_on(path: Any) -> None:
    """A filter, metric or condition evaluated on a state whose every field outside its
    `reads` comes from another position gives the same value: `reads` misses nothing."""
    t = tables_for(path)
    parts = compiled_parts(t)
    states = _games(t, range(1))[0]
    pairs = [(states[i], states[-1 - i]) for i in range(0, len(states) // 2, len(states) // 8)]
    for a, b in pairs:

        def mixed(reads: frozenset[str], a: State = a, b: State = b) -> State:
            return a.evolve(**{f: getattr(b, f) for f in FIELDS if f not in reads}).recomputed()

        for f in parts["filters"]:
            assert country_mask(fresh(a), f) == country_mask(mixed(f.reads), f)
        for i in parts["ifilters"]:
            x = fresh(a)
            y = mixed(i.reads)
            assert [institution_matches(x, i, k) for k in range(len(t.institutions))] == [
                institution_matches(y, i, k) for k in range(len(t.institutions))
            ]
        for m in parts["metrics"]:
            for role in range(len(t.roles)):
                assert metric_value(fresh(a), m, role, (0,)) == metric_value(
                    mixed(m.reads), m, role, (0,)
                ), m
        for c in parts["conditions"]:
            for role in range(len(t.roles)):
                assert holds(fresh(a), c, role, (0,)) == holds(mixed(c.reads), c, role, (0,)), c


def test_cacheable_values_read_only_evolved_fields() -> None:
    """What the scenario compiler marks cacheable reads no field the hot paths assign directly
    (hands, influence, orders...), nor the targets or the asking role; and the State drops kept
    values exactly on the fields they read."""
    for path in SCENARIOS:
        t = tables_for(path)
        parts = compiled_parts(t)
        for x in (*parts["metrics"], *parts["conditions"]):
            assert x.cacheable == (x.reads <= EVOLVED), x
            if x.cacheable:
                assert x.reads <= t.world_reads, x
        for f in parts["filters"]:
            assert f.reads <= t.mask_reads
