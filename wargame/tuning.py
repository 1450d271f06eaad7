"""Process-wide settings for wargame's own processes (the `wargame` command and its workers).

The engine and the bots allocate many short-lived, acyclic containers (states, tuples, bot
scores). CPython's cyclic collector, at its default threshold of 700 net allocations, then runs
thousands of times a second and every full pass re-scans the long-lived scenario tables and bot
caches: a fifth of a greedy-bot game went to it. States hold no reference cycles, so collecting
less often loses no memory in practice (a greedy game's peak is unchanged), while the objects
that live for the whole process are moved out of the collector's sight.

Only processes that wargame owns call this; importing the engine as a library changes nothing.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 20_000


def tune_gc() -> None:
    """Collect young objects 30x less often, and freeze what exists now (modules, the compiled
    scenario) out of every later collection. No `gc.collect()` first: start-up time counts,
    and the little garbage of imports is not worth a pass."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
