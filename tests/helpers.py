"""Shared test helpers: scenarios, compiled vocabulary nodes, and bot playouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from wargame import rules
from wargame.bots.random_bot import RandomBot
from wargame.chance import draw_outcome
from wargame.observe import view_for
from wargame.pending import ChanceDue, GameOver
from wargame.schema.language import Condition, CountryFilter, Effect, Metric
from wargame.schema.loader import load_scenario
from wargame.state import State
from wargame.tables import (
    CCondition,
    CEffect,
    CFilter,
    CMetric,
    Tables,
    _Compiler,
    compile_scenario,
)

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
COF = ROOT / "decks" / "circle-of-friends"


def scenario_dirs() -> list[Path]:
    """Every scenario in decks/ and the fixtures: the generic tests run against all of them."""
    out = [p.parent for p in sorted((ROOT / "decks").glob("*/scenario.yaml"))]
    out += [MINI]
    return out


_TABLES: dict[Path, Tables] = {}


def tables_for(path: Path) -> Tables:
    if path not in _TABLES:
        _TABLES[path] = compile_scenario(load_scenario(path))
    return _TABLES[path]


def mini() -> Tables:
    return tables_for(MINI)


def effect(t: Tables, data: dict[str, Any]) -> CEffect:
    return _Compiler(t.scenario).effect(TypeAdapter(Effect).validate_python(data, strict=True))


def condition(t: Tables, data: dict[str, Any]) -> CCondition:
    return _Compiler(t.scenario).condition(TypeAdapter(Condition).validate_python(data))


def metric(t: Tables, data: dict[str, Any]) -> CMetric:
    return _Compiler(t.scenario).metric(TypeAdapter(Metric).validate_python(data))


def cfilter(t: Tables, data: dict[str, Any]) -> CFilter:
    f = _Compiler(t.scenario).cfilter(CountryFilter.model_validate(data))
    assert f is not None
    return f


def c(t: Tables, country: str) -> int:
    return t.idx["country"][country]


def set_ties(st: State, country: str, power: str, **channels: int) -> State:
    t = st.tables
    ci = c(t, country)
    p = t.idx["power"][power]
    row = list(st.ties[ci])
    for ch, v in channels.items():
        row[p * t.n_channels + t.idx["channel"][ch]] = v
    ties = list(st.ties)
    ties[ci] = tuple(row)
    return st.evolve(ties=tuple(ties))


def random_playout(
    t: Tables,
    seed: int,
    check: bool = True,
    present: tuple[bool, ...] | None = None,
    on_state: Any = None,
) -> tuple[State, list[Any]]:
    """A whole game with random bots; every action is checked legal first."""
    rng = np.random.default_rng(seed)
    bot = RandomBot(rng)
    st = rules.new_game(t, present)
    actions = []
    while True:
        pending = rules.waiting_for(st)
        if isinstance(pending, GameOver):
            return st, actions
        if isinstance(pending, ChanceDue):
            a = draw_outcome(st, rng)
        else:
            a = bot.choose(view_for(st, t.roles[pending.roles[0]].id), pending.roles[0])
        if check:
            reason = rules.check(st, a)
            assert reason is None, f"bot chose an illegal action {a}: {reason}"
        st = rules.apply(st, a)
        actions.append(a)
        if on_state is not None:
            on_state(st, a)
