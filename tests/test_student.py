"""Exercises in nbgrader's conventions: the student edition and grading, on tiny notebooks."""

import json

import nbformat
import pytest

from dlconcepts import catalog, cli, site, student
from dlconcepts.student import clear_solution, student_notebook

SOLUTION = """\
def widen(width):
    ### BEGIN SOLUTION
    return 2 * width
    ### END SOLUTION


gain = widen(3) - 3"""


def test_a_solution_region_becomes_nbgraders_stub_at_its_indentation():
    assert clear_solution(SOLUTION) == (
        "def widen(width):\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n"
        "\n"
        "\n"
        "gain = widen(3) - 3"
    )


def test_a_solution_without_delimiters_is_replaced_whole():
    assert clear_solution("x = 1\ny = 2") == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert clear_solution("The answer is 4.", code=False) == "YOUR ANSWER HERE"


@pytest.mark.parametrize(
    "bad",
    ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
     "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"],
)  # fmt: skip
def test_unbalanced_delimiters_are_refused(bad):
    with pytest.raises(ValueError, match="SOLUTION"):
        clear_solution(bad)


def exercise_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["dlconcepts"] = {"verified": "2026-11-25"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from dlconcepts import exercise, measure, seed_everything\ngens = seed_everything()"
        ),
        nbformat.v4.new_markdown_cell("### Exercise 1\nWiden the layer. Predict the gain."),
        nbformat.v4.new_code_cell(SOLUTION, metadata=student.solution_metadata("ex1")),
        nbformat.v4.new_code_cell(
            "exercise('Exercise 1: widening gains at least 2', measure('gain', gain) >= 2)",
            metadata=student.check_metadata("ex1-check"),
        ),
        nbformat.v4.new_code_cell("after = 'reached'"),
    ]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    nb.cells[0].execution_count = 1
    return nb


def test_student_notebook_removes_solutions_and_outputs_and_keeps_the_rest():
    nb = exercise_notebook()
    out = student_notebook(nb)
    assert "return 2 * width" not in json.dumps(out)
    assert "raise NotImplementedError()" in out["cells"][2]["source"]
    assert out["cells"][3]["source"] == nb.cells[3].source  # the check stays
    assert out["cells"][1]["source"] == nb.cells[1].source
    assert all(c.get("outputs", []) == [] for c in out["cells"])
    assert all(c.get("execution_count") is None for c in out["cells"] if c["cell_type"] == "code")
    assert "dlconcepts" not in out["metadata"]
    assert out["cells"][2]["metadata"] == student.solution_metadata("ex1")
    assert nb.cells[2].source == SOLUTION  # the original is untouched
    assert student.exercises(out) == [(2, 3)]


def test_delimiters_in_a_cell_not_marked_as_a_solution_are_refused():
    nb = exercise_notebook()
    nb.cells[4].source = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
    with pytest.raises(ValueError, match="cell 4"):
        student_notebook(nb)


def test_nbgrader_metadata():
    sol, chk = student.solution_metadata("a")["nbgrader"], student.check_metadata("b")["nbgrader"]
    for meta in (sol, chk):
        assert set(meta) >= {"grade", "grade_id", "locked", "schema_version", "solution", "task"}
        assert meta["schema_version"] == 3
    assert sol["solution"] and not sol["grade"] and not sol["locked"]
    assert chk["grade"] and chk["locked"] and not chk["solution"] and chk["points"] == 1


def test_the_check_holds_with_the_solution_and_fails_against_the_stub(tmp_path, capsys):
    full = tmp_path / "full.ipynb"
    nbformat.write(exercise_notebook(), full)
    stub = tmp_path / "stub.ipynb"
    nbformat.write(nbformat.from_dict(student_notebook(exercise_notebook())), stub)
    graded = student.grade(full)
    assert (graded["points"], graded["total"]) == (1, 1)
    assert graded["checks"][0]["verdicts"][0].startswith("✓ HOLDS [exercise]  Exercise 1")
    stubbed = student.grade(stub)
    assert (stubbed["points"], stubbed["total"]) == (0, 1)
    assert stubbed["checks"][0]["error"].startswith("NameError")  # nothing was computed
    assert cli.main(["grade", str(full), str(stub)]) == 0
    out = capsys.readouterr().out
    assert "full.ipynb: 1 of 1 point(s)" in out and "stub.ipynb: 0 of 1 point(s)" in out


def test_make_student_writes_every_notebook(monkeypatch, tmp_path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(folder))
    nbformat.write(exercise_notebook(), folder / catalog.get(2).filename)
    out = tmp_path / "student"
    assert cli.main(["student", "--out", str(out)]) == 0
    written = nbformat.read(out / catalog.get(2).filename, 4)
    assert "return 2 * width" not in nbformat.writes(written)
    assert "1 exercise solution(s) replaced by stubs" in capsys.readouterr().out


def test_the_site_folds_solutions_behind_a_toggle():
    nb = json.loads(nbformat.writes(exercise_notebook()))
    folded = site.hide_solutions(nb)
    meta = folded["cells"][2]["metadata"]
    assert "hide-cell" in meta["tags"] and meta["mystnb"]["code_prompt_show"] == "Show the solution"
    assert "tags" not in folded["cells"][3]["metadata"]


WRITTEN = catalog.available()


@pytest.mark.parametrize("entry", WRITTEN, ids=[e.code for e in WRITTEN])
def test_student_edition_of_each_notebook_holds_no_solution_code(entry):
    nb = json.loads(entry.path.read_text("utf-8"))
    out = student_notebook(nb)
    text = json.dumps(out)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for i, _ in student.exercises(nb):
        source = nb["cells"][i]["source"]
        source = "".join(source) if isinstance(source, list) else source
        inner = source.split("BEGIN SOLUTION", 1)[-1].split("END SOLUTION", 1)[0]
        kept = out["cells"][i]["source"].splitlines()
        hidden = [line for line in inner.splitlines()[1:-1] if line.strip()]
        assert not [line for line in hidden if line in kept]
    assert all(not c.get("outputs") for c in out["cells"])


def test_teachers_page(monkeypatch):
    rows = site.collect(None)
    text = site.teachers_markdown(rows)
    for needed in ("## Running a workshop", "make student", "## How long each notebook takes",
                   "## A suggested order, by topic", "## Grading with the exercise checks",
                   "dlconcepts grade"):  # fmt: skip
        assert needed in text, needed
    assert text.count("{doc}`") >= len(WRITTEN)
    assert "</teachers>" in site.home_markdown(rows)


WITH_EXERCISES = [
    e for e in WRITTEN if student.exercises(json.loads(e.path.read_text("utf-8")))
]  # notebooks whose exercises have worked solutions (nbgrader cells)


@pytest.mark.parametrize("entry", WITH_EXERCISES, ids=[e.code for e in WITH_EXERCISES])
def test_each_solution_is_followed_by_its_check_which_holds(entry):
    nb = json.loads(entry.path.read_text("utf-8"))
    cells = nb["cells"]
    for solution, check in student.exercises(nb):
        assert check is not None, f"cell {solution}: a solution without a check cell"
        source = "".join(cells[check]["source"])
        assert "exercise(" in source, f"cell {check}: the check is not an exercise claim"
        text = "".join("".join(o.get("text", "")) for o in cells[check].get("outputs", []))
        assert "✓ HOLDS [exercise]" in text and "✗ FAILS" not in text


@pytest.mark.parametrize("entry", WITH_EXERCISES, ids=[e.code for e in WITH_EXERCISES])
def test_student_edition_runs_until_its_first_stub_and_every_check_fails(entry, tmp_path):
    nb = student_notebook(json.loads(entry.path.read_text("utf-8")))
    path = tmp_path / entry.filename
    nbformat.write(nbformat.from_dict(nb), path)
    graded = student.grade(path)
    first_stub = student.exercises(nb)[0][0]
    assert graded["total"] == len(student.exercises(nb))
    assert graded["points"] == 0, graded["checks"]  # no check passes against the stubs
    assert all(c["error"] for c in graded["checks"])
    assert graded["first_error_cell"] == first_stub
    assert graded["first_error"].startswith("NotImplementedError")
