import json

import numpy as np
import pytest
import torch

from dlconcepts import claims
from dlconcepts.claims import ClaimFailed, claim


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv(claims.CLAIMS_FILE_ENV, raising=False)
    claims.reset()
    yield
    claims.reset()


def test_holding_claim_prints_stable_line(capsys):
    claim("Depth helps", 0.01 < 0.5, measured={"error": 0.0123456, "n": 3})
    out = capsys.readouterr().out
    assert out == "✓ HOLDS  Depth helps  [measured: error=0.0123, n=3]\n"
    assert claims.results()[0].holds


def test_failing_claim_prints_and_raises_with_evidence(capsys):
    with pytest.raises(ClaimFailed, match=r"Depth helps \(measured: 0\.9\)"):
        claim("Depth helps", False, measured=0.9)
    assert capsys.readouterr().out.startswith("✗ FAILS  Depth helps")
    assert not claims.results()[0].holds


def test_tensor_and_numpy_booleans_and_scalars(capsys):
    claim("tensor", torch.tensor(True), measured=torch.tensor(2.5))
    claim("numpy", np.bool_(True), measured=np.float64(1e-9))
    out = capsys.readouterr().out
    assert "[measured: 2.5]" in out and "[measured: 1e-09]" in out


def test_measured_text_never_contains_a_closing_bracket():
    assert "]" not in claims.format_value("list [1, 2]")
    assert claims.masked([1.0, 2.0]) == "[measured: 1 2]"


def test_claims_are_appended_to_the_runner_file(monkeypatch, tmp_path, capsys):
    path = tmp_path / "claims.jsonl"
    monkeypatch.setenv(claims.CLAIMS_FILE_ENV, str(path))
    claim("first", True)
    with pytest.raises(ClaimFailed):
        claim("second", False, measured=3)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows == [
        {"statement": "first", "holds": True, "measured": ""},
        {"statement": "second", "holds": False, "measured": "3"},
    ]


def test_summary_counts(capsys):
    claim("a", True)
    claim("b", 1 > 0)
    assert claims.summary_line() == "2 of 2 claims hold."
    claims.summary()
    assert capsys.readouterr().out.endswith("2 of 2 claims hold.\n")


def test_empty_statement_rejected():
    with pytest.raises(ValueError, match="statement"):
        claim("  ", True)


def test_sanitizer_masks_measured_part(root):
    import configparser
    import re

    cfg = configparser.ConfigParser()
    cfg.read(root / "tests" / "nbval_sanitize.cfg")
    section = cfg["measured"]
    a = "✓ HOLDS  x  [measured: ratio=3.1e+16]"
    b = "✓ HOLDS  x  [measured: ratio=2.9e+15]"
    mask = lambda s: re.sub(section["regex"], section["replace"], s)  # noqa: E731
    assert mask(a) == mask(b) == "✓ HOLDS  x  [measured]"
    assert mask("✓ HOLDS  y  [measured: 1]") != mask(a)
