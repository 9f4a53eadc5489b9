"""The robustness sweep: seeds, summaries, the stored file, and staleness."""

import json
import math

import nbformat
import pytest
from helpers import write_notebook

from dlconcepts import catalog, cli, sweep
from dlconcepts.runner import NotebookResult

SOURCES = (
    "from dlconcepts import check, claim, measure, seed_everything, summary\n"
    "gens = seed_everything()",
    "claim('seed is at most 1', measure('seed', gens.seed) <= 1)\n"
    "check('arithmetic', 1 + 1 == 2)\n"
    "claim('always', measure('x', 3.0) >= 2.0)\n"
    "summary()",
)


@pytest.fixture
def folder(monkeypatch, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(folder))
    return folder


def test_parse_seeds():
    assert sweep.parse_seeds("0-9") == list(range(10))
    assert sweep.parse_seeds("3, 1,5-6,1") == [1, 3, 5, 6]
    for bad in ["", "a", "5-2", "1-"]:
        with pytest.raises(ValueError, match="seeds"):
            sweep.parse_seeds(bad)


def fake_result(seed, claims, error=None):
    return NotebookResult(1, "01", "s", "q", "p", "passed", 1.0 + seed, 100.0, claims, error)


def row(statement, holds, margin, kind="claim", value=1.0):
    return {"statement": statement, "kind": kind, "holds": holds, "margin": margin,
            "values": {"v": value}}  # fmt: skip


def test_summarize_counts_held_worst_and_median_margins():
    runs = {
        0: fake_result(0, [row("a", True, 0.5), row("c", True, None, kind="check")]),
        1: fake_result(1, [row("a", True, 0.1), row("c", True, None, kind="check")]),
        2: fake_result(2, [row("a", False, -0.2), row("c", True, None, kind="check")]),
    }
    nb = nbformat.v4.new_notebook()
    entry = sweep.summarize(catalog.get(1), runs, nb)
    a, c = entry["claims"]
    assert (a["held"], a["runs"], a["holds"]) == (2, 3, [True, True, False])
    assert a["worst"] == pytest.approx(-0.2) and a["median"] == pytest.approx(0.1)
    assert a["values"]["2"] == {"v": 1.0}
    assert c["kind"] == "check" and c["held"] == 3 and "worst" not in c
    assert sweep.worst_margin(entry) == pytest.approx(-0.2)
    assert sweep.seeds_held(entry) == (2, 3)
    assert entry["seeds"] == [0, 1, 2] and {"torch", "python", "date", "code_hash"} <= set(entry)


def test_a_claim_missing_at_a_seed_counts_as_failed_there():
    runs = {
        0: fake_result(0, [row("a", True, 0.5), row("b", True, 0.3)]),
        1: fake_result(1, [row("a", True, 0.4)], error={"cell": 3, "ename": "RuntimeError",
                                                       "evalue": "boom"}),
    }  # fmt: skip
    entry = sweep.summarize(catalog.get(1), runs, nbformat.v4.new_notebook())
    b = entry["claims"][1]
    assert b["held"] == 1 and b["worst"] == -math.inf
    assert entry["errors"] == {"1": {"cell": 3, "ename": "RuntimeError", "evalue": "boom"}}
    assert sweep.seeds_held(entry) == (1, 2)


def test_sweep_end_to_end_keeps_going_and_updates_only_its_entries(folder, tmp_path, capsys):
    write_notebook(folder, 1, *SOURCES)
    results = tmp_path / "robustness.json"
    results.write_text(json.dumps({"notebooks": {"05": {"kept": True}}}))
    code = cli.main(
        ["sweep", "1", "--seeds", "0-2", "--jobs", "2", "--results", str(results),
         "--out", str(tmp_path / "b"), "--no-progress"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1  # the first claim fails at seed 2
    assert "FAILED 01: claim held at 2/3: seed is at most 1" in out
    data = json.loads(results.read_text())
    assert data["notebooks"]["05"] == {"kept": True}
    first, check, always = data["notebooks"]["01"]["claims"]
    assert first["holds"] == [True, True, False]  # seeds 0, 1, 2
    assert first["margins"] == pytest.approx([1.0, 0.0, -1.0])
    assert always["held"] == 3 and always["worst"] == pytest.approx(0.5)  # reached: kept going
    assert check["kind"] == "check" and check["held"] == 3
    nb = nbformat.read(folder / catalog.get(1).filename, 4)
    assert data["notebooks"]["01"]["code_hash"] == sweep.code_hash(nb)


def stored_for(path, seeds=(0,)):
    """A sweep entry as if swept now, from the verdict lines a notebook would print."""
    nb = nbformat.read(path, 4)
    return {
        "code_hash": sweep.code_hash(nb),
        "seeds": list(seeds),
        "claims": [
            {"kind": k, "statement": s, "held": 1, "runs": 1, "holds": [True]}
            for k, s in sweep.stored_verdicts(nb)
        ],
    }


def executed(path, *outputs):
    nb = nbformat.read(path, 4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in outputs]
    nbformat.write(nb, path)


def test_a_stale_sweep_is_detected(folder):
    path = write_notebook(folder, 1, *SOURCES)
    executed(
        path,
        "✓ HOLDS [claim]  seed is at most 1  [measured: seed=0 <= 1; margin +100%]\n"
        "✓ HOLDS [check]  arithmetic\n",
    )
    entry = catalog.get(1)
    data = {"notebooks": {"01": stored_for(path)}}
    assert sweep.stale_reasons(entry, data) == []
    assert sweep.stale_reasons(entry, {"notebooks": {}}) == [
        "01: not in the sweep (run `dlconcepts sweep 01`)"
    ]
    # the code changed
    nb = nbformat.read(path, 4)
    nb.cells[1].source += "\n# changed"
    nbformat.write(nb, path)
    assert sweep.stale_reasons(entry, data) == ["01: its code changed since the sweep"]
    # a claim renamed (same code hash, other verdict line stored)
    data = {"notebooks": {"01": stored_for(path)}}
    executed(path, "✓ HOLDS [claim]  seed is at most one\n✓ HOLDS [check]  arithmetic\n")
    reasons = sweep.stale_reasons(entry, data)
    assert "01: claim not in the sweep: seed is at most one" in reasons
    assert "01: swept claim no longer in the notebook: seed is at most 1" in reasons
    # a check added
    executed(
        path,
        "✓ HOLDS [claim]  seed is at most 1\n✓ HOLDS [check]  arithmetic\n✓ HOLDS [check]  new\n",
    )
    assert sweep.stale_reasons(entry, data) == ["01: check not in the sweep: new"]


def test_stored_verdicts_reads_claims_and_checks_apart():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x")]
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stdout",
            text="✓ HOLDS [claim]  A  [measured: x=1 > 0; margin +100%]\n"
            "✗ FAILS [check]  B\nsome other line\n",
        )
    ]
    assert sweep.stored_verdicts(nb) == [("claim", "A"), ("check", "B")]
