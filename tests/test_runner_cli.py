"""The runner and the CLI, end to end on tiny notebooks in a temporary folder."""

import json

import nbformat
import pytest

from dlconcepts import catalog, cli
from dlconcepts.runner import format_table, verify


def write_notebook(folder, number, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / catalog.get(number).filename)


@pytest.fixture
def notebooks(monkeypatch, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(folder))
    write_notebook(
        folder, 1,
        "from dlconcepts import claim, seed_everything\ngens = seed_everything()",
        "claim('seed is visible', True, measured=gens.seed)",
        "claim('arithmetic works', 1 + 1 == 2)",
    )  # fmt: skip
    write_notebook(
        folder, 2,
        "from dlconcepts import claim",
        "claim('holds', True)",
        "claim('does not hold', 1 > 2, measured=1)",
        "claim('never reached', True)",
    )  # fmt: skip
    write_notebook(folder, 3, "x = 1", "raise RuntimeError('boom')")
    return folder


def test_verify_reports_every_notebook_even_when_some_fail(notebooks, tmp_path):
    out = tmp_path / "build"
    report = verify(catalog.available(), out_dir=out, seed=4, jobs=2)
    rows = {r["number"]: r for r in report["notebooks"]}
    assert [r["number"] for r in report["notebooks"]] == [1, 2, 3]
    assert rows[1]["status"] == "passed" and len(rows[1]["claims"]) == 2
    assert rows[1]["claims"][0]["measured"] == "4"  # the seed reached the kernel
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
    assert "1 of 3 notebooks passed, 3 of 4 claims held" in table
    assert "02 failed at cell 2: ClaimFailed" in table
    assert "claim failed: does not hold" in table


def test_in_place_writes_outputs_back_only_when_passing(notebooks, tmp_path):
    verify([catalog.get(1), catalog.get(2)], out_dir=tmp_path / "b", jobs=1, in_place=True)
    passed = nbformat.read(notebooks / catalog.get(1).filename, 4)
    assert [c.execution_count for c in passed.cells] == [1, 2, 3]
    assert "✓ HOLDS  seed is visible" in passed.cells[1].outputs[0]["text"]
    assert len(passed.cells) == 3  # the memory probe cell is not kept
    stamp = passed.metadata["dlconcepts"]
    assert stamp["claims_held"] == stamp["claims_checked"] == 2 and stamp["seed"] == 0
    assert {"verified", "python", "torch", "seconds"} <= set(stamp)
    failed = nbformat.read(notebooks / catalog.get(2).filename, 4)
    assert all(c.execution_count is None for c in failed.cells)


def test_cli_verify_exit_codes_and_table(notebooks, tmp_path, capsys):
    code = cli.main(["verify", "1", "--out", str(tmp_path / "o"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "What is deep learning?" in out and "2/2" in out
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
    assert len(lines) == 20 and lines[0].startswith("01  ready") and "planned" in lines[4]
    assert cli.main(["list", "--topic", "sequences"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert cli.main(["table"]) == 0
    assert capsys.readouterr().out.strip() == catalog.markdown_table()
