"""The same games on a Dask distributed cluster (`--scheduler ADDRESS`, or `local`).

Each task plays a batch of consecutive games of one scenario; the run's scenarios and settings
travel once to every worker (`scatter(..., broadcast=True)`), not with each task. A game's
result depends only on (scenario, seats, seed, index), so the cluster's results are those of a
local run, bit for bit. Every Dask worker needs `wargame` installed at the same version, with
its extra `.[cluster]` (`pip install '.[cluster]'`).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Generator
from typing import Any

from wargame.errors import WargameError

CONNECT_TIMEOUT = "20s"
"""How long to wait for a scheduler before saying it cannot be reached."""


def batches(games: int, variants: int, slots: int) -> list[tuple[int, tuple[int, ...]]]:
    """(variant, game indices) tasks, game-major like the local run: about eight tasks per
    worker thread so a slow batch does not leave the others idle, at most 50 games a task."""
    size = max(1, min(50, math.ceil(games * variants / (slots * 8))))
    out: list[tuple[int, tuple[int, ...]]] = []
    for first in range(0, games, size):
        block = tuple(range(first, min(first + size, games)))
        out.extend((v, block) for v in range(variants))
    return out


def run_on_dask(
    payload: Any,
    variants: int,
    play: Callable[[Any, int, tuple[int, ...]], list[Any]],
) -> Generator[tuple[int, list[Any]], None, None]:
    """Yield (variant, records) as the cluster's tasks finish; closing the generator cancels
    what has not finished and lets go of the cluster. `payload` is the runner's (it has the
    run's `config`), `play(payload, variant, indices)` plays a batch on a worker; both come
    from the runner, which this module does not import (the runner imports it)."""
    try:
        # Through importlib: distributed ships no type hints, and it is an optional extra.
        dd: Any = importlib.import_module("distributed")
    except ImportError:
        raise WargameError(
            "--scheduler needs Dask: install the extra with `pip install '.[cluster]'` "
            "(or `pip install 'dask[distributed]'`)"
        ) from None
    config = payload.config
    address = config.scheduler or "local"
    cluster: Any = None
    try:
        if address == "local":
            cluster = dd.LocalCluster(
                n_workers=config.workers,
                threads_per_worker=1,
                processes=config.dask_processes,
                dashboard_address=None,
                # No dashboard; its HTTP server (health checks) on any free port, not 8787.
                scheduler_kwargs={"dashboard_address": ":0"},
            )
            client = dd.Client(cluster)
        else:
            client = dd.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise WargameError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    futures: list[Any] = []
    try:
        slots = sum(client.nthreads().values()) or 1
        [shared] = client.scatter([payload], broadcast=True)
        variant_of: dict[Any, int] = {}
        for v, block in batches(config.games, variants, slots):
            future = client.submit(play, shared, v, block, pure=False)
            futures.append(future)
            variant_of[future.key] = v
        for future in dd.as_completed(futures):
            yield variant_of[future.key], future.result()
    finally:
        for future in futures:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
