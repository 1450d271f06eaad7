"""Playing many bot-vs-bot games fast, in parallel, reproducibly.

The hot path is a bare fold: `rules.apply` over the bots' orders and `chance.draw_outcome`,
with no Session, no journal and no narrative log. Every game draws from its own generators,
derived from one root `SeedSequence(seed)`: game i uses `root.spawn(...)[i]` (built directly as
`SeedSequence(seed, spawn_key=(i,))`), whose child 0 drives chance and child 1 + r the bot of
role r. A game's result therefore depends only on (scenario, seats, seed, i) — never on how the
games are split between worker processes — so `--workers 1` and `--workers 8` report the same
numbers, bit for bit.

A game's journal, when asked for, is written after the game from the actions it recorded,
through a checked Session: that keeps the fsyncs out of the hot path and re-checks every bot
order against the rules on the way.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from wargame import rules
from wargame.actions import Action, Order
from wargame.bots.registry import Bot, make_bot
from wargame.chance import draw_outcome
from wargame.engine import sim_chance_rng
from wargame.errors import WargameError
from wargame.observe import view_for
from wargame.pending import ChanceDue, GameOver, OrdersDue
from wargame.schema.scenario import Scenario
from wargame.seats import AbsentSeat, BotSeat, Seats, present_of, seat_of
from wargame.state import State
from wargame.tables import Tables
from wargame.tuning import tune_gc


@dataclass(frozen=True, slots=True)
class GameRecord:
    """What one game leaves for the statistics: small and picklable."""

    index: int
    winner: int
    ranking: tuple[int, ...]
    vp: tuple[int, ...]
    """Per role: total victory points (0 for an absent role)."""
    ended_by: str
    turns: int
    tracks: tuple[tuple[int, ...], ...]
    """Track values when each turn's orders open, then at the end of the game."""
    plays: tuple[tuple[int, int], ...]
    """(card, times ordered) for every card ordered at least once."""
    seen: tuple[int, ...]
    """Cards that were in their owner's hand when it gave orders, at some point."""
    journal: str = ""
    shared: tuple[int, ...] = ()
    """The other roles that won together with `winner` (a shared victory), by index."""


@dataclass(slots=True)
class SimConfig:
    scenario: Path
    seats: Seats
    games: int
    seed: int
    workers: int = 1
    journals: Path | None = None
    check: bool = False
    """Check every bot action with `rules.check` (slower; for tests and bot development)."""
    scheduler: str | None = None
    """A Dask scheduler's address, or `local` for a Dask cluster on this machine; None plays
    in local worker processes (`workers` of them)."""
    dask_processes: bool = True
    """With `scheduler="local"`: Dask workers as processes (parallel) or threads in this
    process (quick to start; for tests)."""


@dataclass(slots=True)
class SimResult:
    config: SimConfig
    records: list[GameRecord]
    elapsed: float
    interrupted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return len(self.records)


# ---------------------------------------------------------------------- one game


def game_seed(seed: int, index: int) -> np.random.SeedSequence:
    """Game `index`'s seed sequence: the same as `SeedSequence(seed).spawn(n)[index]`."""
    return np.random.SeedSequence(seed, spawn_key=(index,))


def make_seat_bots(tables: Tables, seats: Seats, ss: np.random.SeedSequence) -> dict[int, Bot]:
    bots: dict[int, Bot] = {}
    for i, r in enumerate(tables.roles):
        seat = seat_of(seats, r.id)
        if isinstance(seat, BotSeat):
            rng = np.random.default_rng(
                np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, 1 + i))
            )
            bots[i] = make_bot(seat.bot, rng, seat.level, dict(seat.options))
        elif not isinstance(seat, AbsentSeat):
            raise WargameError(
                f"{r.id} has no bot: a simulation needs a bot (or `absent`) in every seat"
            )
    return bots


def play_game(
    tables: Tables,
    seats: Seats,
    seed: int,
    index: int,
    *,
    check: bool = False,
    actions: list[Action] | None = None,
) -> tuple[State, GameRecord]:
    """Play game `index` of a run to the end. `actions`, when given, receives every action
    (for writing a journal); `check` refuses an illegal bot action with the bot's name."""
    ss = game_seed(seed, index)
    rng = sim_chance_rng(seed, index)
    bots = make_seat_bots(tables, seats, ss)
    if actions is None:
        # Nobody will read the orders' rationales: let the bots skip writing them.
        for bot in bots.values():
            if hasattr(bot, "rationale"):
                bot.rationale = False
    present = present_of(tables, seats)
    st = rules.new_game(tables, present)
    role_ids = [r.id for r in tables.roles]
    card_index = tables.card_index
    plays: dict[int, int] = {}
    seen: set[int] = set()
    tracks: list[tuple[int, ...]] = []
    last_turn = 0
    waiting_for = rules.waiting_for
    apply = rules.apply
    while True:
        pending = waiting_for(st)
        if isinstance(pending, OrdersDue):
            r = pending.roles[0]
            if st.turn != last_turn:
                last_turn = st.turn
                tracks.append(st.tracks)
            seen.update(st.hand[r])
            action: Action = bots[r].choose(view_for(st, role_ids[r]), r)
            if isinstance(action, Order):
                ci = card_index[action.card]
                plays[ci] = plays.get(ci, 0) + 1
            if check:
                reason = rules.check(st, action)
                if reason is not None:
                    raise WargameError(
                        f"the {getattr(bots[r], 'name', 'bot')} bot of "
                        f"{role_ids[r]} chose an illegal action: {reason}"
                    )
        elif isinstance(pending, ChanceDue):
            action = draw_outcome(st, rng)
        elif isinstance(pending, GameOver):
            break
        else:  # a facilitator's adjudication cannot happen in an unfacilitated game
            from wargame.actions import Accept

            action = Accept()
        if actions is not None:
            actions.append(action)
        st = apply(st, action)
    tracks.append(st.tracks)
    rank = tuple(rules.ranking(st))
    rec = GameRecord(
        index=index,
        winner=rank[0] if rank else -1,
        ranking=rank,
        vp=tuple(sum(v) for v in st.vp),
        ended_by=st.ended_by,
        turns=len(st.vp[rank[0]]) if rank else 0,
        tracks=tuple(tracks),
        plays=tuple(sorted(plays.items())),
        seen=tuple(sorted(seen)),
        shared=tuple(r for r in rank[1:] if r in st.winners()),
    )
    return st, rec


def write_journal(
    tables: Tables,
    seats: Seats,
    seed: int,
    index: int,
    actions: list[Action],
    folder: Path,
    scenario_dump: dict[str, Any],
) -> Path:
    """Replay the recorded actions through a checked, journaled Session."""
    from wargame.engine import Session
    from wargame.journal import Header, JournalWriter

    ss = game_seed(seed, index)
    int_seed = int(ss.generate_state(1, np.uint32)[0])
    present = present_of(tables, seats)
    header = Header(
        scenario=scenario_dump,
        seed=int_seed,
        seats=seats,
        present=list(present),
        facilitated=False,
        settings={"simulate": {"seed": seed, "game": index}},
    )
    path = journal_path(folder, tables, seed, index)
    writer = JournalWriter(path, header)
    try:
        session = Session(tables, seed=int_seed, present=present, sink=writer, auto_chance=False)
        for a in actions:
            session.step(a)
    finally:
        writer.close()
    if writer.problem is not None:  # the disk refused it: a journal asked for must exist
        raise WargameError(writer.problem)
    return path


def journal_path(folder: Path, tables: Tables, seed: int, index: int) -> Path:
    return folder / f"{tables.scenario.id}-seed{seed}-game{index:05d}.jsonl"


# ---------------------------------------------------------------------- workers

_CTX: dict[str, Any] = {}
"""Per-process context: the run's compiled scenarios and settings (set once per worker)."""


@dataclass(frozen=True, slots=True)
class _Payload:
    """What a worker needs to play any game of a run: sent once to each worker process (or
    Dask worker), never with each game."""

    token: str
    """Names this run: a worker that already holds it (a forked one) does not rebuild it."""
    config: SimConfig
    scenarios: tuple[Scenario, ...]


def _set_context(payload: _Payload, tables: list[Tables] | None = None) -> None:
    if _CTX.get("token") == payload.token:
        return
    if tables is None:
        from wargame.tables import compile_scenario

        tables = [compile_scenario(s) for s in payload.scenarios]
    _CTX.clear()
    _CTX.update(token=payload.token, tables=tables, config=payload.config, dump=None)


def _worker_init(payload: _Payload) -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and reports what finished."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_context(payload)  # a forked worker already has it; a spawned one compiles it
    tune_gc()


def _run_one(task: tuple[int, int]) -> tuple[int, GameRecord]:
    """Game `index` of scenario `variant`: (variant, record)."""
    variant, index = task
    config: SimConfig = _CTX["config"]
    tables: Tables = _CTX["tables"][variant]
    actions: list[Action] | None = [] if config.journals is not None else None
    _, rec = play_game(
        tables, config.seats, config.seed, index, check=config.check, actions=actions
    )
    if config.journals is not None and actions is not None:
        if _CTX.get("dump") is None:
            _CTX["dump"] = tables.scenario.model_dump(mode="json")
        path = write_journal(
            tables, config.seats, config.seed, index, actions, config.journals, _CTX["dump"]
        )
        rec = replace(rec, journal=str(path))
    return variant, rec


def _run_batch(payload: _Payload, variant: int, indices: tuple[int, ...]) -> list[GameRecord]:
    """A Dask task: a few games of one scenario (cheaper to ship than one game a task)."""
    if _CTX.get("token") != payload.token:
        _set_context(payload)
        if payload.config.scheduler == "local":
            tune_gc()  # the local cluster's workers are wargame's own processes; others are not
    return [_run_one((variant, i))[1] for i in indices]


def _chunksize(games: int, workers: int) -> int:
    return max(1, min(16, games // (workers * 8)))


def run(
    config: SimConfig,
    tables: Tables | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimResult:
    """Play `config.games` games; `progress(done, total)` after each. Ctrl-C stops the run
    and returns the games finished so far (`interrupted=True`)."""
    if tables is None:
        from wargame.schema.loader import load_scenario
        from wargame.tables import compile_scenario

        tables = compile_scenario(load_scenario(config.scenario))
    if config.journals is not None:
        config.journals.mkdir(parents=True, exist_ok=True)
        clash = [journal_path(config.journals, tables, config.seed, i) for i in range(config.games)]
        taken = [p for p in clash if p.exists()]
        if taken:
            raise WargameError(
                f"{taken[0]} already exists: choose another --journals folder or --seed"
            )
    many = run_many(config, [tables], progress)
    return SimResult(config, many.records[0], many.elapsed, many.interrupted)


@dataclass(slots=True)
class ManyResult:
    """The games of several scenarios played on the same seeds: `records[v]` are scenario
    v's, in game order; after Ctrl-C, only the games that finished."""

    records: list[list[GameRecord]]
    elapsed: float
    interrupted: bool


def run_many(
    config: SimConfig,
    tables: list[Tables],
    progress: Callable[[int, int], None] | None = None,
) -> ManyResult:
    """Play games 0..`config.games`-1 of every scenario in `tables`, each game on the same
    seed whatever the scenario (common random numbers: a difference between scenarios is
    never a difference between seeds). Where they are played — this process, local worker
    processes, or a Dask cluster (`config.scheduler`) — never changes a result."""
    if config.games < 1:
        raise WargameError("--games must be at least 1")
    if config.workers < 1:
        raise WargameError("--workers must be at least 1")
    if config.journals is not None and config.scheduler is not None:
        raise WargameError("--journals cannot be used with --scheduler: keep journals local")
    payload = _Payload(uuid.uuid4().hex, config, tuple(t.scenario for t in tables))
    _set_context(payload, list(tables))
    total = config.games * len(tables)
    records: list[list[GameRecord]] = [[] for _ in tables]
    done = 0
    start = time.perf_counter()
    interrupted = False
    stop = _StopOnCtrlC()
    try:
        with stop:
            if config.scheduler is not None:
                from wargame.sim.cluster import run_on_dask

                games = run_on_dask(payload, len(tables), _run_batch)
            else:
                games = _iterate(payload, len(tables), min(config.workers, total))
            try:
                for variant, batch in games:
                    records[variant].extend(batch)
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
                    if stop.asked:
                        interrupted = True
                        break
            finally:
                games.close()  # stops the pool now, whether it finished or not
    except KeyboardInterrupt:
        interrupted = True
    for recs in records:
        recs.sort(key=lambda r: r.index)
    return ManyResult(records, time.perf_counter() - start, interrupted)


class _StopOnCtrlC:
    """While entered (in the main thread): the first Ctrl-C asks the run to stop after the
    game in hand, so the interrupt never lands inside the pool's own code, which could lose
    it; a second one interrupts at once."""

    def __init__(self) -> None:
        self.asked = False
        self._before: Any = None

    def _on_signal(self, signum: int, frame: Any) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True

    def __enter__(self) -> _StopOnCtrlC:
        if threading.current_thread() is threading.main_thread():
            self._before = signal.signal(signal.SIGINT, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._before is not None:
            signal.signal(signal.SIGINT, self._before)


def game_major(games: int, variants: int) -> list[tuple[int, int]]:
    """Every (variant, game) task, game by game: a run stopped early has played about as many
    games of each variant, on the same seeds, so they can still be compared."""
    return [(v, i) for i in range(games) for v in range(variants)]


def _iterate(
    payload: _Payload, variants: int, workers: int
) -> Generator[tuple[int, list[GameRecord]], None, None]:
    tasks = game_major(payload.config.games, variants)
    if workers == 1:
        for task in tasks:
            v, rec = _run_one(task)
            yield v, [rec]
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() and os.name == "posix" else "spawn"
    ctx = mp.get_context(method)
    pool = ctx.Pool(workers, initializer=_worker_init, initargs=(payload,))
    try:
        for v, rec in pool.imap_unordered(
            _run_one, tasks, chunksize=_chunksize(len(tasks), workers)
        ):
            yield v, [rec]
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
