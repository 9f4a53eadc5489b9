"""The static site: pages generated from the catalog, the notebooks and the last report.

``make book`` runs ``python -m dlconcepts.site``, which

1. reads, for every written notebook, when and with what its claims were last checked:
   from ``build/report.json`` (written by ``make run``) when the report has the notebook,
   else from the notebook's own ``metadata["dlconcepts"]`` (written by ``make notebooks``),
   else by counting the ``✓ HOLDS`` / ``✗ FAILS`` lines in its stored outputs;
2. writes the page sources into a staging folder (``build/site-src``): the home page with
   the table of the twenty questions, one page per topic, and a copy of every notebook
   with a header cell (last verified, download link, navigation by question and topic);
   the repository's notebooks are only read (sources go to ``build/site-src/src``);
3. runs Sphinx with myst-nb (stored outputs, nothing executed) and the configuration in
   ``docs/`` into ``build/site``.

The table logic lives here, not in a template, so the site, the tests and the catalog
cannot drift apart.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .catalog import Entry
from .claims import KINDS, output_lines, parse_verdict
from .student import student_notebook

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
DEFAULT_OUT = REPO_ROOT / "build" / "site"
DEFAULT_REPORT = REPO_ROOT / "build" / "report.json"

#: Sources of a notebook's verification record, most authoritative first.
SOURCES = ("report", "notebook", "outputs")

TOPIC_BLURBS = {
    "foundations": "What a deep network is, how it learns, and what it can represent.",
    "training": "Gradients, normalization, optimizers and the learning rate.",
    "generalization": "Doing well on data the network has not seen.",
    "sequences": "Recurrent networks, LSTMs, and when convolutions fit better.",
    "generative": "Modelling the data itself: generative models and autoencoders.",
    "beyond": "Beyond the twenty: attention, transformers, residual connections and cross-entropy.",
}


def topic_title(topic: str) -> str:
    """A topic's heading: ``"Training"``, ``"Beyond the twenty"``."""
    return "Beyond the twenty" if topic == catalog.BEYOND else topic.capitalize()


@dataclass(frozen=True)
class Verification:
    """When and with what a notebook's claims were last checked.

    ``source`` says where the record came from (one of ``SOURCES``); fields the source
    does not record are ``None`` (a notebook without metadata has no date or timing).
    """

    source: str
    claims_held: int
    claims_checked: int
    passed: bool
    date: str | None = None
    seconds: float | None = None
    seed: int | None = None
    python: str | None = None
    torch: str | None = None
    checks_held: int = 0
    checks_checked: int = 0
    exercises_held: int = 0
    exercises_checked: int = 0


@dataclass(frozen=True)
class Row:
    """One question of the catalog, with its verification when its notebook is written."""

    entry: Entry
    verification: Verification | None = None
    robustness: dict | None = None  # the notebook's entry in results/robustness.json

    @property
    def written(self) -> bool:
        return self.verification is not None

    @property
    def docname(self) -> str:
        """The notebook page's Sphinx document name (``notebooks/05_vanishing_gradients``)."""
        return f"notebooks/{self.entry.filename.removesuffix('.ipynb')}"


# -- Reading the records ---------------------------------------------------------------


def load_report(path: str | os.PathLike | None) -> dict | None:
    """The report written by ``dlconcepts verify``, or ``None`` when there is no file.

    Raises ``ValueError`` naming the file when it exists but is not a report.
    """
    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable JSON report ({exc})") from None
    if not isinstance(report, dict) or not isinstance(report.get("notebooks"), list):
        raise ValueError(f"{path}: not a dlconcepts report (no 'notebooks' list)")
    return report


def from_report(report: dict | None, entry: Entry) -> Verification | None:
    """``entry``'s record in ``report``, or ``None`` when the report does not have it."""
    if not report:
        return None
    for row in report.get("notebooks", []):
        if row.get("number") == entry.number:
            verdicts = row.get("claims") or []
            claims = [c for c in verdicts if c.get("kind", "claim") == "claim"]
            checks = [c for c in verdicts if c.get("kind") == "check"]
            exercises = [c for c in verdicts if c.get("kind") == "exercise"]
            versions = report.get("versions") or {}
            generated = report.get("generated")
            return Verification(
                source="report",
                claims_held=sum(1 for c in claims if c.get("holds")),
                claims_checked=len(claims),
                checks_held=sum(1 for c in checks if c.get("holds")),
                checks_checked=len(checks),
                exercises_held=sum(1 for c in exercises if c.get("holds")),
                exercises_checked=len(exercises),
                passed=row.get("status") == "passed",
                date=generated[:10] if isinstance(generated, str) else None,
                seconds=row.get("seconds"),
                seed=report.get("seed"),
                python=versions.get("python"),
                torch=versions.get("torch"),
            )
    return None


def count_verdicts(nb: dict, kind: str | None = None) -> tuple[int, int]:
    """``(held, checked)``: the ``✓ HOLDS`` and ``✗ FAILS`` lines in stored outputs, of one
    ``kind`` (``"claim"``, ``"check"``, ``"exercise"``) or of all (``None``). A line without
    a kind (from before claims and checks were told apart) counts as a claim."""
    verdicts = [v for v in map(parse_verdict, output_lines(nb)) if v]
    chosen = [holds for k, holds, _ in verdicts if kind is None or k == kind]
    return sum(chosen), len(chosen)


def from_notebook(nb: dict) -> Verification:
    """A notebook's record from its ``metadata["dlconcepts"]`` (stamped by
    ``make notebooks``), else from counting the verdict lines in its stored outputs."""
    meta = (nb.get("metadata") or {}).get("dlconcepts")
    stamped = isinstance(meta, dict) and "claims_checked" in meta
    counts = {}
    for kind in KINDS:
        if stamped:
            counts[kind] = (int(meta.get(f"{kind}s_held", 0)), int(meta.get(f"{kind}s_checked", 0)))
        else:
            counts[kind] = count_verdicts(nb, kind)
    record = {
        f"{kind}s_{part}": n
        for kind, pair in counts.items()
        for part, n in zip(("held", "checked"), pair, strict=True)
    }
    passed = all(held == checked for held, checked in counts.values())
    if not stamped:
        return Verification(source="outputs", passed=passed, **record)
    return Verification(
        source="notebook",
        passed=passed,
        date=meta.get("verified"),
        seconds=meta.get("seconds"),
        seed=meta.get("seed"),
        python=meta.get("python"),
        torch=meta.get("torch"),
        **record,
    )


def read_notebook(path: str | os.PathLike) -> dict:
    """A notebook file as plain JSON (no validation: the site shows what is stored).

    Raises ``ValueError`` naming the file when it is not JSON.
    """
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a notebook (invalid JSON: {exc})") from None


def collect(report: dict | None = None, robustness: dict | None = None) -> list[Row]:
    """One row per catalog entry, in order; written notebooks carry their verification
    and their entry in the stored robustness sweep (when it has one)."""
    rows = []
    swept = (robustness or {}).get("notebooks", {})
    for entry in catalog.CATALOG:
        if not entry.exists:
            rows.append(Row(entry))
            continue
        record = from_report(report, entry) or from_notebook(read_notebook(entry.path))
        rows.append(Row(entry, record, swept.get(entry.code)))
    return rows


# -- Formatting -------------------------------------------------------------------------


def claims_text(v: Verification | None) -> str:
    """``"11 / 11 ✓"``, ``"3 / 4 ✗"``, ``"not run"`` (no verdicts stored) or ``"planned"``."""
    if v is None:
        return "planned"
    if v.claims_checked == 0:
        return "not run"
    mark = "✓" if v.passed and v.claims_held == v.claims_checked else "✗"
    return f"{v.claims_held} / {v.claims_checked} {mark}"


def checks_text(v: Verification | None, kind: str = "check") -> str:
    """``"3 / 3 ✓"`` (checks, or with ``kind="exercise"`` exercise claims, held / checked),
    or ``"–"`` when there are none."""
    if v is None:
        return "–"
    held, checked = (
        (v.checks_held, v.checks_checked)
        if kind == "check"
        else (v.exercises_held, v.exercises_checked)
    )
    if checked == 0:
        return "–"
    return f"{held} / {checked} {'✓' if held == checked else '✗'}"


def sweep_texts(stored: dict | None) -> tuple[str, str]:
    """``("10 / 10", "+12%")``: seeds at which everything held, and the worst claim margin."""
    from .claims import format_margin
    from .sweep import seeds_held, worst_margin

    if not stored:
        return "–", "–"
    held, runs = seeds_held(stored)
    return f"{held} / {runs}", format_margin(worst_margin(stored))


def seconds_text(v: Verification | None) -> str:
    """Seconds to run, one decimal, or ``"–"`` when unknown or planned."""
    if v is None or v.seconds is None:
        return "–"
    return f"{float(v.seconds):.1f}"


def verified_text(v: Verification) -> str:
    """The "last verified" line shown on a notebook's page."""
    if v.date is None and v.claims_checked == 0:
        return (
            "Last verified: never; the stored notebook shows no claim verdicts "
            "(run `make notebooks` to execute it and store its outputs)."
        )
    if v.date is None:
        return (
            f"Last verified: not recorded; the stored outputs show {v.claims_held} of "
            f"{v.claims_checked} claims holding (run `make notebooks` to stamp the date)."
        )
    versions = ", ".join(
        f"{name} {value}" for name, value in (("torch", v.torch), ("Python", v.python)) if value
    )
    how = "`make run`" if v.source == "report" else "`make notebooks`"
    verdict = f"{v.claims_held} of {v.claims_checked} claims held"
    if v.checks_checked:
        verdict += f", {v.checks_held} of {v.checks_checked} checks"
    if v.exercises_checked:
        verdict += f", {v.exercises_held} of {v.exercises_checked} exercise claims"
    if not v.passed:
        verdict += " — the notebook FAILED"
    parts = [f"**Last verified {v.date}**", f"with {versions}" if versions else ""]
    tail = [verdict]
    if v.seed is not None:
        tail.append(f"seed {v.seed}")
    if v.seconds is not None:
        tail.append(f"{float(v.seconds):.1f} s")
    return f"{' '.join(p for p in parts if p)} ({', '.join(tail)}; by {how})."


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell (and a role's title)."""
    for char in "\\|*_`<>[]$":
        text = text.replace(char, "\\" + char)
    return text


def _doc_link(title: str, docname: str) -> str:
    return f"{{doc}}`{_cell(title)} </{docname}>`"


def home_markdown(rows: Sequence[Row], report: dict | None = None) -> str:
    """The home page: what the project is, the two commands, the table, the topics."""
    written = [r for r in rows if r.written]
    if report and any(r.verification.source == "report" for r in written):
        generated = str(report.get("generated", "?")).replace("T", " ").replace("+00:00", " UTC")
        source = (
            f"Claims and timings come from `build/report.json` (written by `make run` on "
            f"{generated}, seed {report.get('seed', '?')}) for the notebooks it covers, else "
            "from the record stored in each notebook by `make notebooks`."
        )
    else:
        source = (
            "Claims and timings come from the record stored in each notebook by "
            "`make notebooks` (run `make run` to check them afresh)."
        )
    lines = [
        "# dlconcepts",
        "",
        "Executable answers to twenty classic deep-learning interview questions, and four "
        "beyond them. Each "
        "question has a notebook that answers it in plain words, then proves the answer with "
        "a small PyTorch experiment that runs on a laptop CPU in seconds, and checks every "
        "claim in code: a claim prints `✓ HOLDS` with its measurement and its margin (how "
        "far it was from failing), or stops the notebook with `✗ FAILS`; identities and "
        "hand-written code compared with the library are shown apart, as checks. Every "
        "claim is also run at ten seeds. Nothing is downloaded: the data is generated in "
        "the notebook or "
        "bundled with scikit-learn.",
        "",
        "## The two commands",
        "",
        "```bash",
        "make run    # run every notebook, check every claim, build this site",
        "make test   # lint, unit tests, nbval, and this site in a browser",
        "```",
        "",
        "Teaching a workshop? See {doc}`the page for teachers </teachers>`: the student "
        "edition without solutions, timings, an order, and grading.",
        "",
        "## The twenty questions",
        "",
        (
            f"All {len(rows)} notebooks are written. "
            if len(written) == len(rows)
            else f"{len(written)} of {len(rows)} notebooks are written; the others are planned. "
        )
        + source,
        "",
        "*Claims* are experiments that could have come out the other way; *checks* are "
        "identities, constructions and hand-written code compared with the library; "
        "*exercises* count the claims that check the exercises' worked solutions. "
        "*Seeds held*: the seeds of the stored robustness sweep (`make sweep`) at which "
        "every claim and check held; *worst margin*: how far the closest claim came to "
        "failing over those seeds, relative to its threshold.",
        "",
    ]

    def table(members: Sequence[Row]) -> list[str]:
        out = [
            "| # | Question | Short answer | Claims held | Checks | Exercises | Seeds held "
            "| Worst margin | Seconds |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in members:
            e = r.entry
            question = _doc_link(e.question, r.docname) if r.written else _cell(e.question)
            seeds, worst = sweep_texts(r.robustness) if r.written else ("–", "–")
            out.append(
                f"| {e.code} | {question} | {_cell(e.answer)} | {claims_text(r.verification)} "
                f"| {checks_text(r.verification)} | {checks_text(r.verification, 'exercise')} "
                f"| {seeds} | {worst} | {seconds_text(r.verification)} |"
            )
        return out

    lines += table([r for r in rows if r.entry.topic != catalog.BEYOND])
    beyond = [r for r in rows if r.entry.topic == catalog.BEYOND]
    if beyond:
        lines += [
            "",
            "## Beyond the twenty",
            "",
            "What interviews ask most today, in the same form and to the same standard.",
            "",
            *table(beyond),
        ]
    lines += ["", "## By topic", ""]
    for topic in catalog.TOPICS:
        members = [r for r in rows if r.entry.topic == topic]
        done = sum(r.written for r in members)
        lines.append(
            f"- {_doc_link(topic_title(topic), f'topics/{topic}')}: {TOPIC_BLURBS[topic]} "
            f"({done} of {len(members)} written)"
        )
    lines += [
        "",
        "```{toctree}",
        ":hidden:",
        ":caption: Topics",
        "",
        *(f"topics/{topic}" for topic in catalog.TOPICS),
        "```",
        "",
        "```{toctree}",
        ":hidden:",
        ":caption: Teaching",
        "",
        "teachers",
        "```",
        "",
    ]
    return "\n".join(lines)


def topic_markdown(topic: str, rows: Sequence[Row]) -> str:
    """A topic's page: its questions (planned ones included) and a toctree of its pages."""
    if topic not in catalog.TOPICS:
        raise ValueError(f"topic: expected one of {', '.join(catalog.TOPICS)}, got {topic!r}")
    members = [r for r in rows if r.entry.topic == topic]
    lines = [f"# {topic_title(topic)}", "", TOPIC_BLURBS[topic], ""]
    lines += ["| # | Question | Short answer | Claims held |", "|---|---|---|---|"]
    for r in members:
        e = r.entry
        question = _doc_link(e.question, r.docname) if r.written else _cell(e.question)
        lines.append(
            f"| {e.code} | {question} | {_cell(e.answer)} | {claims_text(r.verification)} |"
        )
    pages = [f"/{r.docname}" for r in members if r.written]
    if pages:
        lines += ["", "```{toctree}", ":hidden:", "", *pages, "```"]
    lines.append("")
    return "\n".join(lines)


def _neighbour(rows: Sequence[Row], index: int, step: int) -> Row | None:
    i = index + step
    while 0 <= i < len(rows):
        if rows[i].written:
            return rows[i]
        i += step
    return None


def header_markdown(row: Row, rows: Sequence[Row]) -> str:
    """The box under a notebook page's title: last verified, download, navigation."""
    if not row.written:
        raise ValueError(f"question {row.entry.code} has no notebook, so no page")
    e = row.entry
    index = list(rows).index(row)
    before, after = _neighbour(rows, index, -1), _neighbour(rows, index, +1)
    steps = []
    if before is not None:
        steps.append("← previous: " + _doc_link(before.entry.title, before.docname))
    if after is not None:
        steps.append("next: " + _doc_link(after.entry.title, after.docname) + " →")
    numbers = " ".join(
        f"**{r.entry.code}**"
        if r is row
        else (_doc_link(r.entry.code, r.docname) if r.written else r.entry.code)
        for r in rows
    )
    same_topic = [
        (_doc_link(r.entry.title, r.docname) if r.written else f"{_cell(r.entry.title)} (planned)")
        for r in rows
        if r.entry.topic == e.topic and r is not row
    ]
    lines = [
        "```{container} dlc-meta",
        verified_text(row.verification),
        "",
        f"Notebook: {{download}}`{e.filename} </_files/{e.filename}>` "
        "(open it in Jupyter to run it; `make lab`). Student edition, exercise solutions "
        f"replaced by stubs: {{download}}`{e.filename} </_files/student/{e.filename}>` "
        "(see {doc}`the page for teachers </teachers>`).",
        "",
        f"Question {e.number} of {len(rows)}: {numbers}",
        "",
        " · ".join(steps) if steps else "",
        "",
        f"Topic: {_doc_link(e.topic, f'topics/{e.topic}')}"
        + (" — also: " + "; ".join(same_topic) if same_topic else ""),
        "```",
    ]
    return "\n".join(lines)


def robustness_figure(stored: dict, path: str | os.PathLike) -> Path:
    """One row per claim, one dot per seed at its margin, the failure line at zero.

    The margin axis is symmetric-logarithmic (linear within +-100%), since margins range
    from a few percent to many orders of magnitude. A claim that was missing or had no
    finite margin at a seed is drawn as a red cross at the left edge (clamped).
    """
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    claims = [c for c in stored.get("claims", []) if c["kind"] != "check"]
    seeds = stored.get("seeds", [])
    fig_h = 0.9 + 0.42 * max(1, len(claims))
    fig, ax = plt.subplots(figsize=(7.5, fig_h), dpi=110)
    finite = [100 * float(m) for c in claims for m in c["margins"] if math.isfinite(float(m))]
    low = min([*finite, -10.0])
    clamp = low * 3 if low < 0 else -30.0
    top = max([*finite, 100.0]) * 3
    styles = {  # one colour, one meaning
        "held": dict(marker="o", color="tab:blue", ms=4, alpha=0.7, label="held at a seed"),
        "failed": dict(marker="o", color="tab:red", ms=5, label="failed at a seed"),
        "missing": dict(
            marker="x", color="tab:red", ms=7, label="missing or not finite (drawn at the edge)"
        ),
    }
    points: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in styles}
    for row, c in enumerate(claims):
        y = len(claims) - 1 - row
        for i, m in enumerate(float(v) for v in c["margins"]):
            jitter = (i - (len(seeds) - 1) / 2) * 0.03
            if math.isnan(m) or m == -math.inf:
                kind, x = "missing", clamp
            elif m >= 0:
                kind, x = "held", (100 * m if math.isfinite(m) else top)
            else:
                kind, x = "failed", 100 * m
            points[kind][0].append(x)
            points[kind][1].append(y + jitter)
    for kind, (xs, ys) in points.items():
        if xs:
            ax.plot(xs, ys, ls="none", **styles[kind])
    ax.axvline(0, color="black", lw=1.2)
    ax.set_xscale("symlog", linthresh=100)
    ax.set_yticks(range(len(claims)))
    ax.set_yticklabels([_short_label(c["statement"]) for c in claims][::-1], fontsize=8)
    ax.set_ylim(-0.6, len(claims) - 0.4)
    ax.set_xlabel("margin at each seed, % of the threshold (symlog; fails left of 0)")
    ax.set_title(f"Claims at seeds {_seed_range(seeds)}", fontsize=10, pad=18)
    ax.grid(axis="x", alpha=0.3)
    left, right = clamp * 1.6, top * 3
    ax.set_xlim(left, right)
    decades = [k for k in range(3, 40) if 10.0**k <= right]
    step = max(1, -(-len(decades) // 5))  # at most about five decade ticks
    candidates = [-(10.0**k) for k in range(12, 1, -1)] + [-50, 0, 100]
    candidates += [10.0**k for k in decades[::step]]
    if not decades:
        candidates.append(50)
    ticks = sorted(t for t in candidates if left <= t <= right)
    labels = ["0" if t == 0 else f"{t:+.0f}%" if abs(t) < 1e4 else f"{t:+.0e}%" for t in ticks]
    ax.set_xticks(ticks, labels)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=7, frameon=False)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path


def _short_label(statement: str, width: int = 44) -> str:
    """A claim's label for the picture: its "Claim 2a (XOR)" prefix when it has one."""
    head = statement.split(":", 1)[0]
    if ":" in statement and len(head) <= width:
        return head
    return statement if len(statement) <= width else statement[: width - 1] + "…"


def _seed_range(seeds: Sequence[int]) -> str:
    seeds = list(seeds)
    if seeds and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else str(seeds[0])
    return ", ".join(str(s) for s in seeds)


def robustness_markdown(stored: dict | None, figure: str | None) -> str:
    """The robustness section of a notebook's page: every claim and check over the sweep."""
    from .claims import format_margin

    lines = ["## Robustness across seeds", ""]
    if not stored:
        lines.append(
            "This notebook has not been swept yet: run `make sweep` (or `dlconcepts sweep "
            "NN`) to execute it at seeds 0-9 and record every claim's margin."
        )
        return "\n".join(lines)
    seeds = stored.get("seeds", [])
    lines += [
        f"The robustness sweep (`make sweep`) executed this notebook at seeds "
        f"{_seed_range(seeds)} on {stored.get('date', '?')} with torch "
        f"{stored.get('torch', '?')} and Python {stored.get('python', '?')}. "
        "The margin is how far a measurement was from failing, relative to its threshold "
        "(see `dlconcepts.claims`); checks are true by design and have none.",
        "",
        "| Kind | Statement | Held | Worst margin | Median margin |",
        "|---|---|---|---|---|",
    ]
    for c in stored.get("claims", []):
        if c["kind"] != "check":
            worst, median = format_margin(float(c["worst"])), format_margin(float(c["median"]))
        else:
            worst = median = "–"
        lines.append(
            f"| {c['kind']} | {_cell(c['statement'])} | {c['held']} / {c['runs']} "
            f"| {worst} | {median} |"
        )
    if figure:
        lines += [
            "",
            f"![Each claim's margin at each seed of the sweep; the failure line is at zero]"
            f"({figure})",
        ]
    return "\n".join(lines)


SOLUTION_PROMPTS = {
    "code_prompt_show": "Show the solution",
    "code_prompt_hide": "Hide the solution",
}


def hide_solutions(nb: dict) -> dict:
    """``nb`` with every exercise solution cell folded behind a toggle (myst-nb's
    ``hide-cell`` tag, rendered as an HTML ``<details>`` element: nothing to load)."""
    from .student import is_solution

    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and is_solution(cell):
            meta = cell.setdefault("metadata", {})
            tags = meta.setdefault("tags", [])
            if "hide-cell" not in tags:
                tags.append("hide-cell")
            meta.setdefault("mystnb", {}).update(SOLUTION_PROMPTS)
    return nb


def teachers_markdown(rows: Sequence[Row]) -> str:
    """The page for teachers: running a workshop, the student edition, timings, order,
    and grading with the exercise checks."""
    written = [r for r in rows if r.written]
    lines = [
        "# For teachers",
        "",
        "Every notebook is a self-contained lesson: a question, a short answer, the claims "
        "that answer it, experiments that test each claim, and exercises whose worked "
        "solutions end in a checking claim. Everything runs on a laptop CPU, offline.",
        "",
        "## Running a workshop",
        "",
        "1. On the machines the workshop will use, run `make run` once beforehand: it "
        "installs everything (about 6 GB, a few minutes), executes every notebook and "
        "checks every claim, so you know they work there.",
        "2. Run `make student`: it writes the student edition to `build/student/`, in which "
        "each exercise's solution is replaced by the stub `# YOUR CODE HERE` / "
        "`raise NotImplementedError()` and all outputs are cleared. Hand those files out; "
        "keep the notebooks in `notebooks/` (with solutions) for yourself.",
        "3. Participants open them with `make lab` (JupyterLab; it also starts as root, as "
        "in most containers) and run them top to bottom: each runs up to its first "
        "exercise stub.",
        "",
        "## How long each notebook takes",
        "",
        "Seconds to execute the whole notebook, solutions included, on the machine that "
        "last verified it; reading and discussing takes 20-40 minutes per notebook.",
        "",
        "| # | Question | Topic | Seconds | Exercise claims |",
        "|---|---|---|---|---|",
    ]
    for r in written:
        e = r.entry
        lines.append(
            f"| {e.code} | {_doc_link(e.question, r.docname)} | {e.topic} "
            f"| {seconds_text(r.verification)} | {checks_text(r.verification, 'exercise')} |"
        )
    lines += ["", "## A suggested order, by topic", ""]
    for topic in catalog.TOPICS:
        members = [r for r in written if r.entry.topic == topic]
        if members:
            lines.append(
                f"- **{topic_title(topic)}**: "
                + ", ".join(_doc_link(r.entry.code, r.docname) for r in members)
                + f". {TOPIC_BLURBS[topic]}"
            )
    lines += [
        "",
        "## Grading with the exercise checks",
        "",
        "Each exercise is marked the way nbgrader marks an assignment: the solution is "
        "between `### BEGIN SOLUTION` and `### END SOLUTION` in a cell with nbgrader's "
        "solution metadata, and the cell after it is a locked, graded test cell (one "
        "point) holding the exercise's claim, which prints `✓ HOLDS [exercise]` or "
        "`✗ FAILS [exercise]`.",
        "",
        "- With nbgrader: put the notebooks in your course's `source/` folder as they are; "
        "`nbgrader generate_assignment` then gives the same student edition, and "
        "`nbgrader autograde` runs the test cells.",
        "- Without it: `.venv/bin/dlconcepts grade SUBMISSION.ipynb ...` executes each "
        "submitted notebook in a fresh kernel, going on past failures, and prints every "
        "exercise check with its verdict and the points earned.",
        "",
    ]
    return "\n".join(lines)


def page_notebook(nb: dict, header: str) -> dict:
    """A copy of ``nb`` with ``header`` as a markdown cell right under its title line."""
    nb = json.loads(json.dumps(nb))
    cells = nb.setdefault("cells", [])
    meta_cell = {"cell_type": "markdown", "metadata": {}, "source": header}
    first = cells[0] if cells else None
    if first is not None and first.get("cell_type") == "markdown":
        source = first.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        title, _, rest = text.partition("\n")
        if title.startswith("# "):
            first["source"] = title
            cells.insert(1, meta_cell)
            if rest.strip():
                cells.insert(2, {"cell_type": "markdown", "metadata": {}, "source": rest})
            return nb
    cells.insert(0, meta_cell)
    return nb


# -- Building ---------------------------------------------------------------------------


def stage(src_dir: str | os.PathLike, rows: Sequence[Row], report: dict | None = None) -> Path:
    """Write the page sources for ``rows`` into a fresh ``src_dir``; return it."""
    src = Path(src_dir)
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    (src / "topics").mkdir()
    (src / "_files").mkdir()
    (src / "index.md").write_text(home_markdown(rows, report), "utf-8")
    (src / "teachers.md").write_text(teachers_markdown(rows), "utf-8")
    for topic in catalog.TOPICS:
        (src / "topics" / f"{topic}.md").write_text(topic_markdown(topic, rows), "utf-8")
    for row in rows:
        if not row.written:
            continue
        shutil.copy2(row.entry.path, src / "_files" / row.entry.filename)
        original = read_notebook(row.entry.path)
        (src / "_files" / "student").mkdir(exist_ok=True)
        (src / "_files" / "student" / row.entry.filename).write_text(
            json.dumps(student_notebook(original), ensure_ascii=False, indent=1), "utf-8"
        )
        page = page_notebook(hide_solutions(original), header_markdown(row, rows))
        figure = None
        if row.robustness and any(c["kind"] != "check" for c in row.robustness["claims"]):
            figure = row.entry.filename.replace(".ipynb", "_robustness.png")
            robustness_figure(row.robustness, src / "notebooks" / figure)
        page["cells"].append(
            {"cell_type": "markdown", "metadata": {},
             "source": robustness_markdown(row.robustness, figure)}
        )  # fmt: skip
        (src / "notebooks" / row.entry.filename).write_text(
            json.dumps(page, ensure_ascii=False, indent=1), "utf-8"
        )
    return src


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` produced: the site's folder, its home page and Sphinx's warnings."""

    out_dir: Path
    index: Path
    seconds: float
    warnings: list[str]


def _safe_to_replace(out: Path) -> bool:
    return not out.exists() or (out / ".buildinfo").is_file() or not any(out.iterdir())


def build(
    out_dir: str | os.PathLike = DEFAULT_OUT,
    report_path: str | os.PathLike | None = DEFAULT_REPORT,
    work_dir: str | os.PathLike | None = None,
    robustness_path: str | os.PathLike | None = None,
    docs_dir: str | os.PathLike = DOCS_DIR,
    quiet: bool = True,
) -> BuildResult:
    """Build the site into ``out_dir`` (replacing an earlier build there).

    Sources are staged in ``work_dir`` (default: ``out_dir`` + ``-src``), Sphinx runs in a
    subprocess with the configuration in ``docs_dir``. Raises ``RuntimeError`` with
    Sphinx's output when the build fails, ``ValueError`` when ``out_dir`` holds something
    that is not a site (it is never deleted).
    """
    start = time.perf_counter()
    out = Path(out_dir).resolve()
    work = Path(work_dir).resolve() if work_dir else out.with_name(out.name + "-src")
    if not _safe_to_replace(out):
        raise ValueError(f"out_dir: {out} exists and is not a Sphinx site; refusing to replace it")
    from . import sweep

    report = load_report(report_path)
    rows = collect(report, sweep.load(robustness_path or sweep.DEFAULT_RESULTS))
    src = stage(work / "src", rows, report)
    if out.exists():
        shutil.rmtree(out)
    warnings_file = work / "warnings.txt"
    cmd = [
        sys.executable, "-m", "sphinx", "-b", "html", "-E", "-c", str(Path(docs_dir).resolve()),
        "-d", str(work / "doctrees"), "-w", str(warnings_file), str(src), str(out),
    ]  # fmt: skip
    if quiet:
        cmd.insert(3, "-q")
    done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stdout or "") + (done.stderr or "") if quiet else ""
        raise RuntimeError(f"sphinx-build failed (exit {done.returncode})\n{detail}".rstrip())
    warnings = [w for w in warnings_file.read_text("utf-8").splitlines() if w.strip()]
    return BuildResult(out, out / "index.html", round(time.perf_counter() - start, 2), warnings)


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m dlconcepts.site [--out DIR] [--report FILE]``: build the site."""
    parser = argparse.ArgumentParser(
        prog="python -m dlconcepts.site", description="Build the dlconcepts static site."
    )
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (build/site)")
    parser.add_argument(
        "--report", default=str(DEFAULT_REPORT), help="report.json to read, if it exists"
    )
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        result = build(args.out, args.report)
    except (RuntimeError, ValueError) as exc:
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    written = len(catalog.available())
    print(
        f"Built the site ({written} notebook page(s)) in {result.seconds:.1f} s. "
        f"Open it in a browser: {result.index}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
