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

LOCAL_QUIET: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for `--scheduler local` only: a user's own cluster keeps its own."""

CONNECT_TIMEOUT = "20s"
"""How long to wait for a scheduler before saying it cannot be reached."""


def batches(games: int, variants: int, slots: int) -> list[tuple[int, tuple[int, ...]]]:
    """(variant, game indices) tasks, game-major like the local run, largest first: each block
    of games is about a quarter of a worker thread's share of what is left (at most 50 games),
    so the batches shrink to single games at the end and no worker idles long while another
    finishes a big one. The cluster runs tasks roughly in the order they are submitted."""
    out: list[tuple[int, tuple[int, ...]]] = []
    first = 0
    while first < games:
        left = (games - first) * variants
        size = max(1, min(50, games - first, math.ceil(left / (slots * 4))))
        block = tuple(range(first, first + size))
        out.extend((v, block) for v in range(variants))
        first += size
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
        dask_config: Any = importlib.import_module("dask.config")
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
            # The local cluster's processes are ours and nobody watches their dashboard: no
            # statistical profiler sampling the games' stacks every 10 ms, and the resource
            # monitors wake the event loop (and take the GIL from the games) less often.
            # The nannies hand this configuration to the worker processes they start.
            with dask_config.set(LOCAL_QUIET):
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
