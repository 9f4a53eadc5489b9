"""Execute notebooks in fresh kernels, collect their claims, write a report.

Each notebook runs in its own kernel (nbclient), in parallel worker processes, with
``$DLCONCEPTS_SEED`` set to the seed asked for and ``$DLCONCEPTS_CLAIMS_FILE`` pointing
at a file where ``claims.claim`` appends its verdicts. A notebook that fails is reported
with its cell and error; the others still run and the report is still written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .catalog import Entry
from .claims import CLAIMS_FILE_ENV, KEEP_GOING_ENV
from .repro import SEED_ENV

MEMORY_PROBE_TAG = "dlconcepts-memory-probe"
_MEMORY_PROBE = (
    "import resource as _dlc_resource\n"
    "print(_dlc_resource.getrusage(_dlc_resource.RUSAGE_SELF).ru_maxrss)"
)


@dataclass
class NotebookResult:
    """The outcome of executing one notebook."""

    number: int
    code: str
    slug: str
    question: str
    path: str
    status: str  # "passed" or "failed"
    seconds: float
    peak_memory_mb: float | None
    claims: list[dict] = field(default_factory=list)
    error: dict | None = None  # {"cell": index, "ename": ..., "evalue": ...}

    @property
    def held(self) -> int:
        return sum(1 for c in self.claims if c["holds"])

    @property
    def checked(self) -> int:
        return len(self.claims)


def _first_error(nb) -> dict | None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return {
                    "cell": index,
                    "ename": output.get("ename", ""),
                    "evalue": output.get("evalue", ""),
                }
    return None


def execute_notebook(
    entry: Entry,
    out_dir: str | os.PathLike,
    seed: int = 0,
    timeout: int = 300,
    in_place: bool = False,
    keep_going: bool = False,
) -> NotebookResult:
    """Run ``entry``'s notebook top to bottom in a fresh kernel.

    The executed copy goes to ``out_dir/notebooks/``; with ``in_place=True`` a notebook
    that passes is also written back over its source (this is ``make notebooks``).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    out_dir = Path(out_dir).resolve()  # the kernel runs in the notebook's folder
    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    (out_dir / "claims").mkdir(parents=True, exist_ok=True)
    claims_file = out_dir / "claims" / f"{entry.code}.jsonl"
    claims_file.unlink(missing_ok=True)

    nb = nbformat.read(entry.path, as_version=4)
    probe = nbformat.v4.new_code_cell(_MEMORY_PROBE, metadata={"tags": [MEMORY_PROBE_TAG]})
    nb.cells.append(probe)
    env = dict(os.environ)
    env[SEED_ENV] = str(seed)
    env[CLAIMS_FILE_ENV] = str(claims_file)
    env[KEEP_GOING_ENV] = "1" if keep_going else "0"
    env.pop("MPLBACKEND", None)  # let the kernel use its inline backend
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(entry.path.parent)}},
    )
    error = None
    start = time.perf_counter()
    try:
        # The kernel's own log (not the cells' output) would clutter the terminal.
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        error = _first_error(nb) or {"cell": None, "ename": type(exc).__name__, "evalue": str(exc)}
    seconds = time.perf_counter() - start

    peak_mb = None
    last = nb.cells[-1]
    if last.metadata.get("tags") == [MEMORY_PROBE_TAG]:
        text = "".join(o.get("text", "") for o in last.get("outputs", []))
        if text.strip().isdigit():
            peak_mb = int(text.strip()) / 1024  # ru_maxrss is in KiB on Linux
        nb.cells.pop()

    claims = []
    if claims_file.exists():
        claims = [json.loads(line) for line in claims_file.read_text("utf-8").splitlines() if line]
    failed_claim = any(not c["holds"] for c in claims)
    status = "failed" if error or failed_claim else "passed"
    nbformat.write(nb, out_dir / "notebooks" / entry.filename)
    if in_place and status == "passed":
        # Record when and with what the stored outputs were produced (the site shows it).
        nb.metadata["dlconcepts"] = {
            "verified": datetime.now(UTC).date().isoformat(),
            "seed": seed,
            "seconds": round(seconds, 2),
            "claims_held": _held(claims, "claim")[0],
            "claims_checked": _held(claims, "claim")[1],
            "checks_held": _held(claims, "check")[0],
            "checks_checked": _held(claims, "check")[1],
            "exercises_held": _held(claims, "exercise")[0],
            "exercises_checked": _held(claims, "exercise")[1],
            **{k: v for k, v in _versions().items() if k in ("python", "torch")},
        }
        nbformat.write(nb, entry.path)
    return NotebookResult(
        number=entry.number,
        code=entry.code,
        slug=entry.slug,
        question=entry.question,
        path=str(entry.path),
        status=status,
        seconds=round(seconds, 2),
        peak_memory_mb=None if peak_mb is None else round(peak_mb, 1),
        claims=claims,
        error=error,
    )


def _versions() -> dict[str, str]:
    import numpy
    import torch

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "platform": platform.platform(),
    }


def execute_many(
    runs: Sequence[tuple],
    jobs: int,
    on_done: Callable[[NotebookResult, tuple], None] | None = None,
) -> list[NotebookResult]:
    """Run ``execute_notebook(*run)`` for each run, ``jobs`` kernels at a time, in worker
    processes; return the results in the order of ``runs``. A worker that fails itself
    (an unreadable notebook, ...) gives a failed result naming the error. ``on_done`` is
    called with each result and its run as it finishes."""
    context = multiprocessing.get_context("spawn")
    results: dict[int, NotebookResult] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(runs)), mp_context=context) as pool:
        futures = {pool.submit(execute_notebook, *run): i for i, run in enumerate(runs)}
        for future in as_completed(futures):
            i = futures[future]
            entry = runs[i][0]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself failed
                result = NotebookResult(
                    entry.number, entry.code, entry.slug, entry.question, str(entry.path),
                    "failed", 0.0, None, [],
                    {"cell": None, "ename": type(exc).__name__, "evalue": str(exc)},
                )  # fmt: skip
            results[i] = result
            if on_done is not None:
                on_done(result, runs[i])
    return [results[i] for i in range(len(runs))]


def verify(
    entries: Sequence[Entry],
    out_dir: str | os.PathLike = "build",
    seed: int = 0,
    jobs: int = 2,
    timeout: int = 300,
    in_place: bool = False,
    on_done: Callable[[NotebookResult], None] | None = None,
    keep_going: bool = False,
) -> dict:
    """Execute ``entries`` with ``jobs`` kernels at a time; write ``out_dir/report.json``.

    ``on_done`` is called with each result as it finishes (the CLI's progress bar).
    Returns the report as a dict.
    """
    if not entries:
        raise ValueError("entries: nothing to run")
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs: expected a whole number >= 1, got {jobs!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    runs = [(e, out_dir, seed, timeout, in_place, keep_going) for e in entries]
    results = execute_many(runs, jobs, None if on_done is None else lambda r, _: on_done(r))
    results.sort(key=lambda r: r.number)
    report = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "jobs": jobs,
        "total_seconds": round(time.perf_counter() - start, 2),
        "versions": _versions(),
        "notebooks": [asdict(r) for r in results],
    }
    (out_dir / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return report


def _held(claims: list[dict], kind: str) -> tuple[int, int]:
    rows = [c for c in claims if c.get("kind", "claim") == kind]
    return sum(1 for c in rows if c["holds"]), len(rows)


def time_budget(row: dict) -> float:
    """Seconds a notebook may take (GUIDE.md, "Budgets"): 15, or 20 with exercise solutions."""
    has_exercises = any(c.get("kind") == "exercise" for c in row.get("claims", []))
    return 20.0 if has_exercises else 15.0


def format_table(report: dict, sweep: dict | None = None) -> str:
    """The verdict table: question, claims and checks held / checked, seconds, peak memory,
    the stored robustness sweep (seeds at which everything held, worst claim margin), and
    the result. ``sweep`` is the stored sweep (``sweep.load()``); without it those columns
    show ``-``."""
    from .claims import format_margin
    from .sweep import seeds_held, worst_margin

    rows = report["notebooks"]
    sweep_rows = (sweep or {}).get("notebooks", {})
    width = max([len(r["question"]) for r in rows] + [8])
    head = (
        f" #  {'Question':<{width}}  Claims  Checks  Exercises  Seconds  Peak MB  "
        "Sweep seeds  Worst margin  Result"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        claims = "{}/{}".format(*_held(r["claims"], "claim"))
        checks = "{}/{}".format(*_held(r["claims"], "check"))
        ex_held, ex_total = _held(r["claims"], "exercise")
        exercises = f"{ex_held}/{ex_total}" if ex_total else "-"
        mem = "-" if r["peak_memory_mb"] is None else f"{r['peak_memory_mb']:.0f}"
        result = "ok" if r["status"] == "passed" else "FAILED"
        stored = sweep_rows.get(r["code"])
        seeds = seeds_held(stored)
        seeds_text = "-" if seeds is None else f"{seeds[0]}/{seeds[1]}"
        worst = worst_margin(stored)
        worst_text = "-" if worst is None else format_margin(worst)
        lines.append(
            f"{r['code']}  {r['question']:<{width}}  {claims:>6}  {checks:>6}  {exercises:>9}  "
            f"{r['seconds']:>7.1f}  {mem:>7}  {seeds_text:>11}  {worst_text:>12}  {result}"
        )
    claims_held, claims_total = _held([c for r in rows for c in r["claims"]], "claim")
    checks_held, checks_total = _held([c for r in rows for c in r["claims"]], "check")
    ex_held, ex_total = _held([c for r in rows for c in r["claims"]], "exercise")
    exercises = f", {ex_held} of {ex_total} exercise claims" if ex_total else ""
    failed = [r for r in rows if r["status"] != "passed"]
    lines.append("-" * len(head))
    lines.append(
        f"{len(rows) - len(failed)} of {len(rows)} notebooks passed, {claims_held} of "
        f"{claims_total} claims and {checks_held} of {checks_total} checks{exercises} held, "
        f"{report['total_seconds']:.1f} s in all (seed {report['seed']})."
    )
    if sweep_rows:
        lines.append(
            "Sweep seeds: seeds of the stored robustness sweep (results/robustness.json) at "
            "which every claim held.\nWorst margin: over claims and seeds, the least distance "
            "of a measurement from failing, relative to its threshold."
        )
    over = [r for r in rows if r["seconds"] > time_budget(r)]
    if over:
        lines.append(
            "Over the time budget (15 s; 20 s with exercise solutions, on a 2-core machine): "
            + ", ".join(f"{r['code']} ({r['seconds']:.1f} s)" for r in over)
        )
    for r in failed:
        err = r["error"] or {}
        cell = err.get("cell")
        where = f"cell {cell}" if cell is not None else "before any cell"
        bad = [f"{c.get('kind', 'claim')}: {c['statement']}" for c in r["claims"] if not c["holds"]]
        reason = f"{err.get('ename', '')}: {err.get('evalue', '')}"
        lines.append(f"  {r['code']} failed at {where}: {reason}")
        lines.extend(f"     failed {s}" for s in bad)
    return "\n".join(lines)
