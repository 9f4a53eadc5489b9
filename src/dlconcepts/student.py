"""Exercises in nbgrader's conventions, and the student edition without their solutions.

An exercise in a notebook is three cells:

1. a markdown cell that says what to change and asks for a prediction;
2. the **solution cell**: code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``,
   in a cell whose metadata is what nbgrader gives an autograded answer cell
   (``solution_metadata("ex1")``);
3. the **check cell**: the claim that tests the prediction (``exercise(...)``), in a cell
   whose metadata is what nbgrader gives an autograder test cell (``check_metadata``).

A teacher who grades with nbgrader can take the notebooks as they are. ``make student``
writes the student edition to ``build/student/``: each solution region replaced by the
stub nbgrader leaves (``# YOUR CODE HERE`` / ``raise NotImplementedError()``, indented
like the ``### BEGIN SOLUTION`` line), a solution cell without delimiters replaced whole,
every output and execution count cleared, and everything else intact.

Why not nbgrader's own ``ClearSolutions`` preprocessor: nbgrader 0.9 requires JupyterLab,
the Notebook server, Jupyter Server, SQLAlchemy and Alembic, a heavy dependency for one
text transform; this module follows the same markers, metadata and stub instead.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = "YOUR ANSWER HERE"
SCHEMA_VERSION = 3


def solution_metadata(grade_id: str) -> dict:
    """The metadata nbgrader gives an autograded answer (solution) cell."""
    return {
        "nbgrader": {
            "grade": False,
            "grade_id": grade_id,
            "locked": False,
            "schema_version": SCHEMA_VERSION,
            "solution": True,
            "task": False,
        }
    }


def check_metadata(grade_id: str, points: int = 1) -> dict:
    """The metadata nbgrader gives an autograder test cell (locked, graded)."""
    return {
        "nbgrader": {
            "grade": True,
            "grade_id": grade_id,
            "locked": True,
            "points": points,
            "schema_version": SCHEMA_VERSION,
            "solution": False,
            "task": False,
        }
    }


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def is_solution(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_check(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def clear_solution(source: str, code: bool = True) -> str:
    """``source`` with each solution region replaced by the stub (nbgrader's rule).

    A region runs from a line containing ``BEGIN SOLUTION`` to one containing ``END
    SOLUTION``, both included; the stub takes the ``BEGIN`` line's indentation. Without
    delimiters the whole source is the solution. Raises ``ValueError`` on a region that
    is not closed, or an ``END`` without a ``BEGIN``.
    """
    lines = source.splitlines()
    if not any("BEGIN SOLUTION" in line for line in lines):
        if any("END SOLUTION" in line for line in lines):
            raise ValueError("END SOLUTION without BEGIN SOLUTION")
        return "\n".join(CODE_STUB) if code else TEXT_STUB
    out: list[str] = []
    inside = False
    for line in lines:
        if "BEGIN SOLUTION" in line:
            if inside:
                raise ValueError("BEGIN SOLUTION inside a solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub for stub in (CODE_STUB if code else (TEXT_STUB,)))
        elif "END SOLUTION" in line:
            if not inside:
                raise ValueError("END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def student_notebook(nb: dict) -> dict:
    """A copy of ``nb`` with every solution replaced by its stub and outputs cleared.

    Raises ``ValueError`` when solution delimiters appear in a cell not marked as a
    solution (nbgrader refuses those too: the solution would reach the students).
    """
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.get("cells", [])):
        text = _source(cell)
        if is_solution(cell):
            cell["source"] = clear_solution(text, code=cell.get("cell_type") == "code")
        elif "BEGIN SOLUTION" in text or "END SOLUTION" in text:
            raise ValueError(f"cell {index}: solution delimiters in a cell not marked as one")
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.get("metadata", {}).pop("dlconcepts", None)  # the verification stamp is not theirs
    return nb


def exercises(nb: dict) -> list[tuple[int, int | None]]:
    """``(solution cell index, index of the check cell that follows it, or None)``."""
    cells = nb.get("cells", [])
    found = []
    for i, cell in enumerate(cells):
        if is_solution(cell) and cell.get("cell_type") == "code":
            check = next((j for j in range(i + 1, len(cells)) if is_check(cells[j])), None)
            found.append((i, check))
    return found


def write_student(entries: Sequence, out_dir: str | os.PathLike = "build/student") -> list[Path]:
    """Write the student edition of each catalog entry's notebook into ``out_dir``."""
    import nbformat

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in entries:
        nb = nbformat.read(entry.path, as_version=4)
        student = nbformat.from_dict(student_notebook(nb))
        path = out / entry.filename
        nbformat.write(student, path)
        written.append(path)
    return written


def grade(path: str | os.PathLike, timeout: int = 300) -> dict:
    """Execute a (submitted) notebook in a fresh kernel, going on past errors and failed
    claims, and score each exercise check cell: its points when it printed an
    ``✓ HOLDS [exercise]`` verdict and no failure or error, else 0.

    Returns ``{"path", "points", "total", "checks": [{"cell", "grade_id", "points",
    "earned", "verdicts", "error"}], "first_error_cell", "first_error"}``.
    """
    import nbformat
    from nbclient import NotebookClient

    from .claims import FAILS, HOLDS, KEEP_GOING_ENV

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env[KEEP_GOING_ENV] = "1"
    env.pop("MPLBACKEND", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute(env=env)
    checks = []
    for index, cell in enumerate(nb.cells):
        if not is_check(cell):
            continue
        meta = cell.metadata["nbgrader"]
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [o for o in cell.outputs if o.output_type == "error"]
        verdicts = [line for line in text.splitlines() if line.startswith((HOLDS, FAILS))]
        ok = bool(verdicts) and not errors and all(v.startswith(HOLDS) for v in verdicts)
        points = int(meta.get("points", 1))
        checks.append(
            {
                "cell": index,
                "grade_id": meta.get("grade_id", ""),
                "points": points,
                "earned": points if ok else 0,
                "verdicts": verdicts,
                "error": f"{errors[0].ename}: {errors[0].evalue}" if errors else None,
            }
        )
    first = next(
        ((i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
         if o.output_type == "error"),
        (None, None),
    )  # fmt: skip
    return {
        "path": str(path),
        "points": sum(c["earned"] for c in checks),
        "total": sum(c["points"] for c in checks),
        "checks": checks,
        "first_error_cell": first[0],
        "first_error": f"{first[1].ename}: {first[1].evalue}" if first[1] else None,
    }
