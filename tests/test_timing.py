import time

import pytest

from dlconcepts.timing import best_time


def test_best_time_counts_calls_and_takes_the_minimum():
    calls = []
    delays = iter([0.0, 0.03, 0.001, 0.02])

    def fn():
        calls.append(1)
        time.sleep(next(delays))

    t = best_time(fn, repeats=3)
    assert len(calls) == 4  # one warm-up and three timed calls
    assert 0.001 <= t < 0.015


def test_best_time_without_warmup():
    calls = []
    best_time(lambda: calls.append(1), repeats=2, warmup=False)
    assert len(calls) == 2


def test_best_time_rejects_bad_repeats():
    with pytest.raises(ValueError, match="^repeats:"):
        best_time(lambda: None, repeats=0)
