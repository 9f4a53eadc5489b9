"""The runner and the CLI, end to end on tiny notebooks in a temporary folder."""

import json

import nbformat
import pytest
from helpers import write_notebook

from dlconcepts import catalog, cli
from dlconcepts.runner import format_table, verify


@pytest.fixture
def notebooks(monkeypatch, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(folder))
    write_notebook(
        folder, 1,
        "from dlconcepts import check, claim, measure, seed_everything\n"
        "gens = seed_everything()",
        "claim('seed is visible', measure('seed', gens.seed) >= 0)",
        "check('arithmetic works', 1 + 1 == 2)",
    )  # fmt: skip
    write_notebook(
        folder, 2,
        "from dlconcepts import claim, measure, summary",
        "claim('holds', measure('x', 2) > 1)",
        "claim('does not hold', measure('x', 1) > 2)",
        "claim('reached only when going on', measure('x', 3) > 2)",
        "summary()",
    )  # fmt: skip
    write_notebook(folder, 3, "x = 1", "raise RuntimeError('boom')")
    return folder


def test_verify_reports_every_notebook_even_when_some_fail(notebooks, tmp_path):
    out = tmp_path / "build"
    report = verify(catalog.available(), out_dir=out, seed=4, jobs=2)
    rows = {r["number"]: r for r in report["notebooks"]}
    assert [r["number"] for r in report["notebooks"]] == [1, 2, 3]
    assert rows[1]["status"] == "passed" and len(rows[1]["claims"]) == 2
    assert rows[1]["claims"][0]["values"] == {"seed": 4}  # the seed reached the kernel
    assert rows[1]["claims"][1]["kind"] == "check"
    assert rows[1]["peak_memory_mb"] > 10
    assert rows[2]["status"] == "failed" and rows[2]["error"]["cell"] == 2
    assert rows[2]["error"]["ename"] == "ClaimFailed"
    assert [c["holds"] for c in rows[2]["claims"]] == [True, False]
    assert rows[3]["status"] == "failed" and rows[3]["error"]["ename"] == "RuntimeError"
    assert rows[3]["error"]["cell"] == 1
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["notebooks"] == report["notebooks"] and on_disk["seed"] == 4
    assert {"python", "torch"} <= set(on_disk["versions"])
    for r in report["notebooks"]:
        assert (out / "notebooks" / catalog.get(r["number"]).filename).exists()
    table = format_table(report)
    assert "1 of 3 notebooks passed, 2 of 3 claims and 1 of 1 checks held" in table
    assert "02 failed at cell 2: ClaimFailed" in table
    assert "failed claim: does not hold" in table


def test_keep_going_checks_every_claim_then_fails_the_notebook(notebooks, tmp_path):
    report = verify([catalog.get(2)], out_dir=tmp_path / "k", jobs=1, keep_going=True)
    row = report["notebooks"][0]
    assert [c["holds"] for c in row["claims"]] == [True, False, True]
    assert row["status"] == "failed"
    assert row["error"]["ename"] == "ClaimFailed" and row["error"]["cell"] == 4  # summary()


def test_cli_verify_keep_going(notebooks, tmp_path, capsys):
    args = ["verify", "2", "--keep-going", "--out", str(tmp_path / "o"), "--no-progress"]
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert "0 of 1 notebooks passed, 2 of 3 claims and 0 of 0 checks held" in out


def test_in_place_writes_outputs_back_only_when_passing(notebooks, tmp_path):
    verify([catalog.get(1), catalog.get(2)], out_dir=tmp_path / "b", jobs=1, in_place=True)
    passed = nbformat.read(notebooks / catalog.get(1).filename, 4)
    assert [c.execution_count for c in passed.cells] == [1, 2, 3]
    assert "✓ HOLDS [claim]  seed is visible" in passed.cells[1].outputs[0]["text"]
    assert len(passed.cells) == 3  # the memory probe cell is not kept
    stamp = passed.metadata["dlconcepts"]
    assert stamp["claims_held"] == stamp["claims_checked"] == 1 and stamp["seed"] == 0
    assert stamp["checks_held"] == stamp["checks_checked"] == 1
    assert {"verified", "python", "torch", "seconds"} <= set(stamp)
    failed = nbformat.read(notebooks / catalog.get(2).filename, 4)
    assert all(c.execution_count is None for c in failed.cells)


def test_cli_verify_exit_codes_and_table(notebooks, tmp_path, capsys):
    code = cli.main(["verify", "1", "--out", str(tmp_path / "o"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "What is deep learning?" in out and "1 of 1 claims and 1 of 1 checks held" in out
    assert cli.main(["verify", "1", "3", "--out", str(tmp_path / "o"), "--no-progress"]) == 1


def test_cli_verify_unknown_number_says_which_exist(notebooks, capsys):
    assert cli.main(["verify", "99"]) == 2
    err = capsys.readouterr().err
    assert "no question '99'" in err and "notebooks written: 01, 02, 03" in err


def test_cli_verify_unwritten_notebook(notebooks, capsys):
    assert cli.main(["verify", "7"]) == 2
    assert "07 (What is data augmentation?) is not written yet" in capsys.readouterr().err


def test_cli_rejects_bad_jobs(notebooks):
    with pytest.raises(SystemExit) as exc:
        cli.main(["verify", "--jobs", "0"])
    assert exc.value.code == 2


def test_cli_list_and_table(notebooks, capsys):
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 24 and lines[0].startswith("01  ready") and "planned" in lines[4]
    assert lines[20].startswith("21  planned  beyond")
    assert cli.main(["list", "--topic", "sequences"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert cli.main(["table"]) == 0
    assert capsys.readouterr().out.strip() == catalog.markdown_table()


def test_table_names_notebooks_over_the_time_budget():
    def row(code, seconds, kinds):
        claims = [{"kind": k, "holds": True, "statement": k} for k in kinds]
        return {
            "code": code, "question": "Q?", "claims": claims, "seconds": seconds,
            "peak_memory_mb": 900.0, "status": "passed", "error": None,
        }  # fmt: skip

    rows = [
        row("01", 14.9, ["claim"]),
        row("02", 15.5, ["claim"]),  # over: 15 s without exercise solutions
        row("03", 19.0, ["claim", "exercise"]),  # within: 20 s with them
        row("04", 21.0, ["claim", "exercise"]),  # over
    ]
    table = format_table({"notebooks": rows, "total_seconds": 70.4, "seed": 0})
    budget = [line for line in table.splitlines() if line.startswith("Over the time budget")]
    assert budget == [
        "Over the time budget (15 s; 20 s with exercise solutions, on a 2-core machine): "
        "02 (15.5 s), 04 (21.0 s)"
    ]
    rows = [row("01", 3.0, ["claim"])]
    assert "Over the time budget" not in format_table(
        {"notebooks": rows, "total_seconds": 3.0, "seed": 0}
    )
