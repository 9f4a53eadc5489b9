"""The robustness sweep: every notebook at several seeds, every claim's margin at each.

``dlconcepts sweep [NN ...] --seeds 0-9 --jobs 2`` executes each notebook once per seed,
in keep-going mode (a failed claim does not stop the notebook), and stores one entry per
notebook in ``results/robustness.json``:

* ``code_hash``: a hash of the notebook's code cells, so a test can tell that the stored
  sweep is stale (the code changed since);
* ``seeds``, ``torch``, ``python``, ``date``, and the seconds each run took;
* per claim and check, in notebook order: ``held`` of ``runs`` seeds, the ``worst`` and
  ``median`` margin (claims only), the margin and the measured values at each seed.

Sweeping some notebooks rewrites only their entries. CI does not rerun the sweep; it
checks that the stored sweep matches the notebooks (``stale_reasons``).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from .catalog import Entry
from .claims import json_safe, output_lines, parse_verdict
from .runner import NotebookResult, _versions, execute_many

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RESULTS = REPO_ROOT / "results" / "robustness.json"


def parse_seeds(text: str) -> list[int]:
    """``"0-9"`` -> 0..9; ``"0,3,5-6"`` -> [0, 3, 5, 6]."""
    seeds: list[int] = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if re.fullmatch(r"\d+-\d+", part):
            lo, hi = (int(x) for x in part.split("-"))
            if hi < lo:
                raise ValueError(f"seeds: empty range {part!r}")
            seeds.extend(range(lo, hi + 1))
        elif part.isdigit():
            seeds.append(int(part))
        else:
            raise ValueError(f"seeds: expected numbers and ranges like 0-9, got {part!r}")
    if not seeds:
        raise ValueError("seeds: none given")
    return sorted(set(seeds))


def code_hash(nb: dict) -> str:
    """A hash of a notebook's code cells (their sources, in order)."""
    sources = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            sources.append("".join(src) if isinstance(src, list) else src)
    return hashlib.sha256("\n\x00\n".join(sources).encode("utf-8")).hexdigest()[:16]


def stored_verdicts(nb: dict) -> list[tuple[str, str]]:
    """``(kind, statement)`` for every verdict line in a notebook's stored outputs."""
    parsed = (parse_verdict(line) for line in output_lines(nb))
    return [(kind, statement) for kind, _, statement in filter(None, parsed)]


def _number(x) -> float:
    return float(x) if x is not None else math.nan


def summarize(entry: Entry, runs: dict[int, NotebookResult], nb: dict) -> dict:
    """One notebook's sweep entry from its runs (seed -> result)."""
    seeds = sorted(runs)
    order: list[tuple[str, str]] = []
    by_key: dict[tuple[str, str], dict[int, dict]] = {}
    for seed in seeds:
        for c in runs[seed].claims:
            key = (c.get("kind", "claim"), c["statement"])
            if key not in by_key:
                by_key[key] = {}
                order.append(key)
            by_key[key][seed] = c
    claims = []
    for kind, statement in order:
        per_seed = by_key[(kind, statement)]
        held = sum(1 for s in seeds if s in per_seed and per_seed[s]["holds"])
        row = {
            "kind": kind,
            "statement": statement,
            "held": held,
            "runs": len(seeds),
            "holds": [bool(s in per_seed and per_seed[s]["holds"]) for s in seeds],
        }
        if kind != "check":
            margins = [
                _number(per_seed[s].get("margin")) if s in per_seed else -math.inf for s in seeds
            ]
            # a claim missing at a seed (the notebook stopped) or with no finite margin
            # counts as failed there: its margin is -inf for the worst-case figure.
            margins = [m if not math.isnan(m) else -math.inf for m in margins]
            row["worst"] = min(margins)
            row["median"] = statistics.median(margins)
            row["margins"] = margins
        row["values"] = {str(s): per_seed[s].get("values", {}) for s in seeds if s in per_seed}
        claims.append(row)
    versions = _versions()
    return {
        "question": entry.question,
        "code_hash": code_hash(nb),
        "seeds": seeds,
        "date": datetime.now(UTC).date().isoformat(),
        "torch": versions["torch"],
        "python": versions["python"],
        "seconds": {str(s): runs[s].seconds for s in seeds},
        # errors other than the failed claims themselves (those are in "claims")
        "errors": {
            str(s): runs[s].error
            for s in seeds
            if runs[s].error and runs[s].error.get("ename") not in (None, "", "ClaimFailed")
        },
        "claims": claims,
    }


def load(path: str | os.PathLike = DEFAULT_RESULTS) -> dict:
    """The stored sweep (``{"notebooks": {}}`` when there is none yet)."""
    path = Path(path)
    if not path.is_file():
        return {"notebooks": {}}
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), dict):
        raise ValueError(f"{path}: not a robustness sweep (no 'notebooks' mapping)")
    return data


def save(data: dict, path: str | os.PathLike = DEFAULT_RESULTS) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dict(data)
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    path.write_text(json.dumps(json_safe(data), indent=1, ensure_ascii=False) + "\n", "utf-8")


def run_sweep(
    entries: Sequence[Entry],
    seeds: Sequence[int],
    out_dir: str | os.PathLike = "build/sweep",
    results_path: str | os.PathLike = DEFAULT_RESULTS,
    jobs: int = 2,
    timeout: int = 300,
    on_done: Callable[[NotebookResult, int], None] | None = None,
) -> dict:
    """Execute every (notebook, seed) pair, ``jobs`` kernels at a time; update the
    stored sweep for these notebooks and return their new entries."""
    if not entries:
        raise ValueError("entries: nothing to sweep")
    if not seeds:
        raise ValueError("seeds: none given")
    import nbformat

    runs: dict[str, dict[int, NotebookResult]] = {e.code: {} for e in entries}
    pairs = [
        (e, Path(out_dir) / f"seed-{s}", s, timeout, False, True) for e in entries for s in seeds
    ]  # keep-going mode, one folder per seed

    def done(result: NotebookResult, run: tuple) -> None:
        runs[run[0].code][run[2]] = result
        if on_done is not None:
            on_done(result, run[2])

    execute_many(pairs, jobs, done)
    data = load(results_path)
    new = {}
    for e in entries:
        nb = nbformat.read(e.path, as_version=4)
        new[e.code] = summarize(e, runs[e.code], nb)
    data["notebooks"].update(new)
    save(data, results_path)
    return new


def stale_reasons(entry: Entry, data: dict) -> list[str]:
    """Why the stored sweep does not match ``entry``'s notebook (empty when current)."""
    import nbformat

    stored = data.get("notebooks", {}).get(entry.code)
    if stored is None:
        return [f"{entry.code}: not in the sweep (run `dlconcepts sweep {entry.code}`)"]
    nb = nbformat.read(entry.path, as_version=4)
    reasons = []
    if stored.get("code_hash") != code_hash(nb):
        reasons.append(f"{entry.code}: its code changed since the sweep")
    now = stored_verdicts(nb)
    swept = [(c["kind"], c["statement"]) for c in stored.get("claims", [])]
    for kind, statement in now:
        if (kind, statement) not in swept:
            reasons.append(f"{entry.code}: {kind} not in the sweep: {statement}")
    for kind, statement in swept:
        if (kind, statement) not in now:
            reasons.append(f"{entry.code}: swept {kind} no longer in the notebook: {statement}")
    return reasons


def worst_margin(stored: dict | None) -> float | None:
    """The smallest worst-case margin over a notebook's claims (None: no claims swept)."""
    if not stored:
        return None
    worst = [_number(c.get("worst")) for c in stored.get("claims", []) if c["kind"] == "claim"]
    return min(worst) if worst else None


def seeds_held(stored: dict | None) -> tuple[int, int] | None:
    """``(seeds at which every claim and check held, seeds swept)``."""
    if not stored:
        return None
    seeds = stored.get("seeds", [])
    rows = stored.get("claims", [])
    ok = sum(
        1
        for i, s in enumerate(seeds)
        if all(r["holds"][i] for r in rows) and str(s) not in stored.get("errors", {})
    )
    return ok, len(seeds)


def format_sweep(new: dict[str, dict]) -> str:
    """A table of the claims just swept: held k/N, worst and median margin."""
    from .claims import format_margin

    lines = []
    for code, stored in new.items():
        lines.append(f"{code}  {stored['question']}")
        for c in stored["claims"]:
            held = f"{c['held']}/{c['runs']}"
            if c["kind"] != "check":
                worst, median = format_margin(c["worst"]), format_margin(c["median"])
                margins = f"worst {worst:>8}  median {median:>8}"
            else:
                margins = "(check)"
            mark = "ok" if c["held"] == c["runs"] else "FAIL"
            lines.append(f"    {mark:<4} {held:>5}  {margins}  {c['statement'][:70]}")
            failed = [str(s) for s, ok in zip(stored["seeds"], c["holds"], strict=True) if not ok]
            if failed:
                lines.append(f"           failed at seed(s) {', '.join(failed)}")
        for s, err in stored.get("errors", {}).items():
            lines.append(f"    seed {s}: {err.get('ename')}: {str(err.get('evalue'))[:100]}")
    return "\n".join(lines)


def iter_failures(new: dict[str, dict]) -> Iterable[str]:
    for code, stored in new.items():
        for c in stored["claims"]:
            if c["held"] != c["runs"]:
                yield f"{code}: {c['kind']} held at {c['held']}/{c['runs']}: {c['statement']}"
        for s in stored.get("errors", {}):
            yield f"{code}: error at seed {s}"
