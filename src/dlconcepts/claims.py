"""Claims and checks: a statement, the comparison that tests it, and a stable verdict line.

Two kinds of verdict, always shown apart:

* a **claim** is an experiment that could have come out the other way. It states its
  comparison, so the library knows how far the measurement is from failing::

      claim(
          "The deep net's test error is at most half the shallow net's",
          measure("deep error", deep_err) <= 0.5 * shallow_err,
      )

* an **exercise** claim ends an exercise's worked solution: a claim, counted apart;
* a **check** is an identity, a construction, a theorem, or hand-written code against its
  library version: true by design, so it has no margin. ``check(statement, holds)``
  takes a boolean (or comparisons, when the tolerance is worth showing).

Each prints one line::

    ✓ HOLDS [claim]  The deep net's test error ...  [measured: deep error=0.012 <= 0.05; margin 76%]
    ✓ HOLDS [check]  The hand-written backward pass equals autograd  [measured: error=1e-16]

The ``[measured: ...]`` part differs between CPUs and seeds, so the nbval sanitizer
(``tests/nbval_sanitize.cfg``) masks it; the rest of the line is compared exactly.

The margin
----------
The margin is how far the measurement is from failing, relative to the threshold; it is
positive when the comparison holds and negative when it fails:

* ``measure(x) >= t`` (or ``>``): ``(x - t) / |t|``;
* ``measure(x) <= t`` (or ``<``): ``(t - x) / |t|``;
* ``measure(x).within(tol, of=c)``: ``(tol - |x - c|) / tol`` (1 when x == c, 0 at the edge).

For a threshold of zero, dividing by ``|t|`` is meaningless, so the distance is divided
by the measurement's ``scale`` instead (``measure(name, x, scale=...)``; default 1, so the
margin is the absolute distance, in the quantity's own unit: choose ``scale`` to be a
natural unit of that quantity, such as the accuracy of a constant guess). A margin of 0.25
means the measurement could be 25% of the threshold worse and still hold.

A measurement with several values (a list, an array: "at every layer") is compared
element by element and its margin is the smallest. A compound claim (several comparisons,
or comparisons joined with ``&``) holds when every part holds, and its margin is the
smallest of its parts' margins.

A measured value or threshold that is not finite (nan, inf) fails its comparison, with a
message saying so, unless the measurement says it expects one
(``measure(name, x, nonfinite_ok=True)``, for a divergence): ``inf >= 4 * inf`` must not
pass by accident.

Stopping or going on
--------------------
A claim or check that does not hold prints ``✗ FAILS`` and raises ``ClaimFailed``, which
stops the notebook, unless ``$DLCONCEPTS_KEEP_GOING`` is ``1`` (``dlconcepts verify
--keep-going``, and the robustness sweep): then the notebook goes on, and ``summary()``
at its end raises if anything failed.

When ``$DLCONCEPTS_CLAIMS_FILE`` is set (the runner sets it), every verdict is also
appended to that file as one JSON line, so ``dlconcepts verify`` and ``dlconcepts sweep``
can collect them (statement, kind, holds, margin, values, thresholds).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field

CLAIMS_FILE_ENV = "DLCONCEPTS_CLAIMS_FILE"
KEEP_GOING_ENV = "DLCONCEPTS_KEEP_GOING"
HOLDS = "✓ HOLDS"
FAILS = "✗ FAILS"
KINDS = ("claim", "check", "exercise")


class ClaimFailed(AssertionError):
    """A claim's measurement contradicted it."""


def keep_going() -> bool:
    """True when a failed claim should not stop the notebook (``$DLCONCEPTS_KEEP_GOING=1``)."""
    return os.environ.get(KEEP_GOING_ENV, "").strip().lower() in {"1", "true", "yes"}


def _as_floats(value: object) -> list[float]:
    """A measured value as a flat list of floats (a scalar gives one element)."""
    if hasattr(value, "detach"):  # torch tensor
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist"):  # numpy array or scalar
        value = value.tolist()
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        out: list[float] = []
        for v in value:
            out.extend(_as_floats(v))
        return out
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number or a sequence of numbers, got {value!r}")
    return [float(value)]


def _is_multi(value: object) -> bool:
    if hasattr(value, "ndim"):
        return getattr(value, "ndim", 0) > 0
    return isinstance(value, (list, tuple, Mapping))


@dataclass(frozen=True)
class Comparison:
    """One comparison of a named measurement with a threshold, and its margin."""

    name: str
    values: tuple[float, ...]
    op: str  # ">=", ">", "<=", "<", "within"
    threshold: float
    scale: float = 1.0
    tolerance: float | None = None  # for "within": |value - threshold| <= tolerance
    nonfinite_ok: bool = False
    multi: bool = False

    def _one(self, x: float) -> tuple[bool, float]:
        t = self.threshold
        if self.op == "within":
            tol = float(self.tolerance)
            dist = abs(x - t)
            return dist <= tol, (tol - dist) / tol
        denominator = abs(t) if t != 0 else self.scale
        if self.op in (">=", ">"):
            holds = x >= t if self.op == ">=" else x > t
            return holds, (x - t) / denominator
        holds = x <= t if self.op == "<=" else x < t
        return holds, (t - x) / denominator

    @property
    def nonfinite(self) -> bool:
        numbers = [*self.values, self.threshold]
        if self.tolerance is not None:
            numbers.append(self.tolerance)
        return not all(math.isfinite(v) for v in numbers)

    @property
    def problem(self) -> str | None:
        """Why the comparison fails regardless of its outcome (a non-finite value)."""
        if self.nonfinite and not self.nonfinite_ok:
            return f"{self.name}: measured value or threshold is not finite"
        if not self.values:
            return f"{self.name}: nothing was measured (empty)"
        return None

    @property
    def holds(self) -> bool:
        if self.problem:
            return False
        return all(self._one(x)[0] for x in self.values)

    @property
    def margin(self) -> float:
        """The smallest margin over the values (nan when a value is not finite)."""
        if self.problem:
            return math.nan
        with_margins = [self._one(x)[1] for x in self.values]
        margins = [m if not math.isnan(m) else math.inf for m in with_margins]  # inf - inf
        return min(margins)

    def __and__(self, other: Comparison | Compound) -> Compound:
        return Compound((self,)) & other

    def describe(self) -> str:
        shown = format_value(list(self.values) if self.multi else self.values[0])
        if self.op == "within":
            return f"{self.name}={shown} within {format_value(self.tolerance)} of " + format_value(
                self.threshold
            )
        symbol = {">=": ">=", ">": ">", "<=": "<=", "<": "<"}[self.op]
        every = "each " if self.multi else ""
        return f"{every}{self.name}={shown} {symbol} {format_value(self.threshold)}"


@dataclass(frozen=True)
class Compound:
    """Comparisons that must all hold (``a & b``); the margin is the smallest of theirs."""

    parts: tuple[Comparison, ...] = field(default_factory=tuple)

    def __and__(self, other: Comparison | Compound) -> Compound:
        more = other.parts if isinstance(other, Compound) else (other,)
        return Compound(self.parts + tuple(more))


class Measured:
    """A named measurement, waiting to be compared: ``measure("gap", g) <= 0.05``."""

    def __init__(
        self, name: str, value: object, scale: float | None = None, nonfinite_ok: bool = False
    ):
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name: expected a non-empty string")
        self.name = name.strip()
        self.values = tuple(_as_floats(value))
        self.multi = _is_multi(value)
        if scale is not None and not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"scale: expected a positive finite number, got {scale!r}")
        self.scale = 1.0 if scale is None else float(scale)
        self.nonfinite_ok = nonfinite_ok

    def _compare(self, op: str, threshold: object, tolerance: float | None = None) -> Comparison:
        t = _as_floats(threshold)
        if len(t) != 1:
            raise ValueError("threshold: expected one number")
        return Comparison(
            self.name, self.values, op, t[0], self.scale, tolerance, self.nonfinite_ok, self.multi
        )

    def __ge__(self, threshold: object) -> Comparison:
        return self._compare(">=", threshold)

    def __gt__(self, threshold: object) -> Comparison:
        return self._compare(">", threshold)

    def __le__(self, threshold: object) -> Comparison:
        return self._compare("<=", threshold)

    def __lt__(self, threshold: object) -> Comparison:
        return self._compare("<", threshold)

    def within(self, tolerance: float, of: float = 0.0) -> Comparison:
        """``|value - of| <= tolerance`` (tolerance > 0)."""
        if not tolerance > 0:
            raise ValueError(f"tolerance: expected a positive number, got {tolerance!r}")
        return self._compare("within", of, float(tolerance))

    __hash__ = None  # comparison operators return comparisons, not booleans


def measure(
    name: str, value: object, *, scale: float | None = None, nonfinite_ok: bool = False
) -> Measured:
    """Name a measurement so it can be compared: ``measure("test error", err) <= 0.05``.

    ``value`` is a number or a sequence of numbers (each must satisfy the comparison).
    ``scale`` is the unit a margin is measured in when the threshold is zero (default 1);
    ``nonfinite_ok=True`` lets a nan or inf value be compared instead of failing.
    """
    return Measured(name, value, scale=scale, nonfinite_ok=nonfinite_ok)


@dataclass(frozen=True)
class ClaimResult:
    statement: str
    holds: bool
    measured: str
    kind: str = "claim"
    margin: float | None = None
    values: dict = field(default_factory=dict)
    thresholds: dict = field(default_factory=dict)
    problem: str | None = None


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


def format_margin(margin: float | None) -> str:
    """A margin as a percentage (``"+38%"``, ``"-4.2%"``, ``"+3.1e+16%"``), or ``"n/a"``."""
    if isinstance(margin, str):  # "inf", "-inf", "nan", as stored in JSON (json_safe)
        margin = float(margin)
    if margin is None or math.isnan(margin):
        return "n/a"
    if math.isinf(margin):
        return "+inf" if margin > 0 else "-inf"
    pct = 100 * margin
    if abs(pct) < 10 or abs(pct) >= 1e4:
        return f"{pct:+.2g}%"
    return f"{pct:+.0f}%"


def json_safe(value: object) -> object:
    """``value`` with non-finite floats turned into the strings "inf", "-inf", "nan"."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def _flatten(parts: Sequence[object]) -> list[Comparison]:
    out: list[Comparison] = []
    for part in parts:
        if isinstance(part, Compound):
            out.extend(part.parts)
        elif isinstance(part, Comparison):
            out.append(part)
        else:
            raise TypeError(
                "a claim states its comparison: pass measure(name, value) >= threshold "
                f"(or <=, within), got {part!r}"
            )
    return out


def _record(result: ClaimResult) -> None:
    _RESULTS.append(result)
    path = os.environ.get(CLAIMS_FILE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(json_safe(asdict(result)), ensure_ascii=False) + "\n")


def _emit(
    kind: str,
    statement: str,
    comparisons: list[Comparison],
    holds: bool,
    extra: object,
) -> None:
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError("statement: expected a non-empty string")
    statement = " ".join(statement.split())
    problems = [c.problem for c in comparisons if c.problem]
    margin = min((c.margin for c in comparisons), default=None)
    if margin is not None and math.isnan(margin):
        margin = None
    pieces = [c.describe() for c in comparisons]
    if extra is not None:
        pieces.append(format_value(extra))
    shown = ", ".join(p for p in pieces if p)
    if kind != "check":
        shown = f"{shown}; margin {format_margin(margin)}" if shown else ""
    if problems:
        shown = f"{shown}; " + "; ".join(problems) if shown else "; ".join(problems)
    result = ClaimResult(
        statement=statement,
        holds=holds,
        measured=shown,
        kind=kind,
        margin=margin if kind != "check" else None,
        values={c.name: (list(c.values) if c.multi else c.values[0]) for c in comparisons},
        thresholds={c.name: c.threshold for c in comparisons},
        problem="; ".join(problems) or None,
    )
    _record(result)
    tail = f"  [measured: {shown}]" if shown else ""
    print(f"{HOLDS if holds else FAILS} [{kind}]  {statement}{tail}", flush=True)
    if not holds and not keep_going():
        raise ClaimFailed(f"{kind} does not hold: {statement} (measured: {shown or 'n/a'})")


def claim(statement: str, *comparisons: Comparison | Compound, measured: object = None) -> None:
    """Check an experimental claim and print its verdict line with its margin.

    ``comparisons`` are one or more ``measure(name, value) >= threshold`` (or ``>``,
    ``<=``, ``<``, ``.within(tol, of=...)``), all of which must hold; the claim's margin is
    the smallest of theirs. ``measured`` adds context to the line (not compared). Prints
    ``✓ HOLDS [claim]`` or ``✗ FAILS [claim]``; a failure raises ``ClaimFailed`` unless
    keep-going mode is on. Returns nothing, so a claim as a cell's last line adds no output.
    """
    parts = _flatten(comparisons)
    if not parts:
        raise TypeError("a claim needs at least one comparison: measure(name, value) >= t")
    _emit("claim", statement, parts, all(c.holds for c in parts), measured)


def exercise(statement: str, *comparisons: Comparison | Compound, measured: object = None) -> None:
    """The checking claim of an exercise's solution: like ``claim`` (it has a margin and
    must hold at every seed), but counted apart (``[exercise]``), so a notebook's own
    claims and its exercises' claims are never mixed up."""
    parts = _flatten(comparisons)
    if not parts:
        raise TypeError("an exercise needs at least one comparison: measure(name, value) >= t")
    _emit("exercise", statement, parts, all(c.holds for c in parts), measured)


def check(statement: str, *holds_or_comparisons: object, measured: object = None) -> None:
    """Check an identity, a construction or a theorem (no margin).

    Pass a boolean outcome (anything truthy, a NumPy or PyTorch boolean too) or
    comparisons as for ``claim``. Prints ``✓ HOLDS [check]`` or ``✗ FAILS [check]``.
    """
    comparisons: list[Comparison] = []
    outcome = True
    if not holds_or_comparisons:
        raise TypeError("check: pass the outcome (a boolean) or comparisons")
    for part in holds_or_comparisons:
        if isinstance(part, (Comparison, Compound)):
            comparisons.extend(_flatten([part]))
        else:
            outcome = outcome and bool(part.item() if hasattr(part, "item") else part)
    holds = outcome and all(c.holds for c in comparisons)
    _emit("check", statement, comparisons, holds, measured)


def results() -> list[ClaimResult]:
    """Every verdict recorded in this process so far."""
    return list(_RESULTS)


def reset() -> None:
    """Forget the recorded verdicts."""
    _RESULTS.clear()


def summary_line() -> str:
    """How many claims and checks (and exercise claims, if any) held, as one stable line."""
    claims = [r for r in _RESULTS if r.kind == "claim"]
    checks = [r for r in _RESULTS if r.kind == "check"]
    exercises = [r for r in _RESULTS if r.kind == "exercise"]
    held = f"{sum(r.holds for r in claims)} of {len(claims)} claims"
    held_checks = f"{sum(r.holds for r in checks)} of {len(checks)} checks"
    if not exercises:
        return f"{held} and {held_checks} hold."
    return (
        f"{held}, {held_checks} and {sum(r.holds for r in exercises)} of {len(exercises)} "
        "exercise claims hold."
    )


def summary() -> None:
    """Print ``summary_line()``; in keep-going mode, raise if anything failed."""
    print(summary_line())
    failed = [r for r in _RESULTS if not r.holds]
    if failed:
        names = "; ".join(f"{r.kind}: {r.statement}" for r in failed)
        raise ClaimFailed(f"{len(failed)} failed: {names}")


def output_lines(nb: Mapping) -> Iterator[str]:
    """Every line of text in a notebook's stored stream outputs (a dict, as in the file)."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            text = output.get("text", "")
            yield from ("".join(text) if isinstance(text, list) else text).splitlines()


def parse_verdict(line: str) -> tuple[str, bool, str] | None:
    """``(kind, holds, statement)`` of a verdict line, or ``None`` for any other line.

    A line without a kind (printed before claims and checks were told apart) is a claim.
    """
    if not line.startswith((HOLDS, FAILS)):
        return None
    holds = line.startswith(HOLDS)
    rest = line[len(HOLDS) :]
    kind = "claim"
    for k in KINDS:
        if rest.startswith(f" [{k}]"):
            kind, rest = k, rest[len(k) + 3 :]
    statement = rest.strip().split("  [measured: ", 1)[0].strip()
    return kind, holds, statement


def masked(value: object) -> str:
    """Wrap a figure so readers see it and the nbval sanitizer masks it."""
    return f"[measured: {format_value(value)}]"
