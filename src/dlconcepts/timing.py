"""Wall-clock timing that survives a busy machine: the best of several runs."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_time(fn: Callable[[], object], repeats: int = 5, warmup: bool = True) -> float:
    """Seconds taken by the fastest of ``repeats`` calls of ``fn``.

    The minimum is the run least disturbed by other work, so ratios of best times measured
    in the same process are stable enough for a claim; absolute times are not. With
    ``warmup`` one untimed call comes first (caches, lazy initialization).
    """
    if not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats: expected a whole number >= 1, got {repeats!r}")
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
