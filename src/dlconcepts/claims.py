"""Claims: a statement, the measurement that tests it, and a stable verdict line.

``claim(...)`` prints one line such as::

    ✓ HOLDS  The first layer's gradient is >= 100x smaller  [measured: last/first=3.1e+16]

The ``[measured: ...]`` part shows the reader the numbers but differs between CPUs and
seeds, so the nbval sanitizer (``tests/nbval_sanitize.cfg``) masks it; the rest of the
line is compared exactly. A claim that does not hold prints ``✗ FAILS`` and raises
``ClaimFailed``, which stops the notebook with the statement and the evidence.

When ``$DLCONCEPTS_CLAIMS_FILE`` is set (the runner sets it), every verdict is also
appended to that file as one JSON line, so ``dlconcepts verify`` can collect them.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass

CLAIMS_FILE_ENV = "DLCONCEPTS_CLAIMS_FILE"
HOLDS = "✓ HOLDS"
FAILS = "✗ FAILS"


class ClaimFailed(AssertionError):
    """A claim's measurement contradicted it."""


@dataclass(frozen=True)
class ClaimResult:
    statement: str
    holds: bool
    measured: str


_RESULTS: list[ClaimResult] = []


def format_value(value: object) -> str:
    """A compact, bracket-free rendering of a measured value."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3g}" if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(format_value(v) for v in value)
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # numpy / torch scalar
        return format_value(value.item())
    return str(value).replace("[", "(").replace("]", ")")


def claim(statement: str, holds: object, measured: object = None) -> None:
    """Check one claim and print its verdict line.

    ``holds`` is the outcome of the comparison (anything truthy; a NumPy or PyTorch
    boolean works). ``measured`` is the evidence: a number, a string or a mapping of
    names to numbers. The verdict is recorded (see ``results()``); nothing is returned,
    so a claim as a cell's last line adds no output. Raises ``ClaimFailed`` when ``holds``
    is false.
    """
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError("statement: expected a non-empty string")
    verdict = bool(holds.item() if hasattr(holds, "item") else holds)
    shown = "" if measured is None else format_value(measured)
    result = ClaimResult(statement.strip(), verdict, shown)
    _RESULTS.append(result)
    path = os.environ.get(CLAIMS_FILE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    tail = f"  [measured: {shown}]" if shown else ""
    print(f"{HOLDS if verdict else FAILS}  {result.statement}{tail}", flush=True)
    if not verdict:
        raise ClaimFailed(f"claim does not hold: {result.statement} (measured: {shown or 'n/a'})")


def results() -> list[ClaimResult]:
    """Every verdict recorded in this process so far."""
    return list(_RESULTS)


def reset() -> None:
    """Forget the recorded verdicts."""
    _RESULTS.clear()


def summary_line() -> str:
    """How many claims held out of how many were checked, as one stable line."""
    held = sum(r.holds for r in _RESULTS)
    return f"{held} of {len(_RESULTS)} claims hold."


def summary() -> None:
    """Print ``summary_line()`` (returns nothing, so a notebook shows no extra output)."""
    print(summary_line())


def masked(value: object) -> str:
    """Wrap a figure so readers see it and the nbval sanitizer masks it."""
    return f"[measured: {format_value(value)}]"
