import json
import math

import numpy as np
import pytest
import torch

from dlconcepts import claims
from dlconcepts.claims import ClaimFailed, check, claim, measure


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv(claims.CLAIMS_FILE_ENV, raising=False)
    monkeypatch.delenv(claims.KEEP_GOING_ENV, raising=False)
    claims.reset()
    yield
    claims.reset()


def last():
    return claims.results()[-1]


# -- margins ------------------------------------------------------------------------------


def test_margin_greater_is_relative_to_the_threshold():
    assert (measure("x", 3.0) >= 2.0).margin == pytest.approx(0.5)
    assert (measure("x", 1.0) >= 2.0).margin == pytest.approx(-0.5)
    assert (measure("x", -1.0) >= -2.0).margin == pytest.approx(0.5)  # |t| in the denominator
    assert (measure("x", 2.0) > 2.0).margin == 0 and not (measure("x", 2.0) > 2.0).holds
    assert (measure("x", 2.0) >= 2.0).holds


def test_margin_less_is_relative_to_the_threshold():
    c = measure("err", 0.01) <= 0.04
    assert c.holds and c.margin == pytest.approx(0.75)
    c = measure("err", 0.05) < 0.04
    assert not c.holds and c.margin == pytest.approx(-0.25)


def test_margin_within_a_tolerance():
    c = measure("ratio", 1.02).within(0.1, of=1.0)
    assert c.holds and c.margin == pytest.approx(0.8)
    c = measure("ratio", 0.85).within(0.1, of=1.0)
    assert not c.holds and c.margin == pytest.approx(-0.5)
    with pytest.raises(ValueError, match="tolerance"):
        measure("ratio", 1.0).within(0.0)


def test_margin_at_a_zero_threshold_uses_the_scale():
    assert (measure("gain", 0.018) > 0).margin == pytest.approx(0.018)
    assert (measure("gain", 0.018, scale=0.1) > 0).margin == pytest.approx(0.18)
    assert (measure("loss", -0.5) < 0).margin == pytest.approx(0.5)
    with pytest.raises(ValueError, match="scale"):
        measure("gain", 1.0, scale=0)


def test_a_sequence_must_hold_everywhere_and_takes_the_smallest_margin():
    c = measure("per layer", [0.5, 0.9, 0.7]) >= 0.4
    assert c.holds and c.margin == pytest.approx(0.25)
    assert not (measure("per layer", np.array([0.5, 0.3])) >= 0.4).holds
    assert (measure("t", torch.tensor([3.0, 4.0])) >= 2).margin == pytest.approx(0.5)


def test_compound_claim_takes_the_smallest_margin_and_needs_every_part(capsys):
    claim("both", measure("a", 3.0) >= 1.0, measure("b", 0.9) <= 1.0)
    assert last().holds and last().margin == pytest.approx(0.1)
    joined = (measure("a", 3.0) >= 1.0) & (measure("b", 1.2) <= 1.0)
    with pytest.raises(ClaimFailed):
        claim("joined", joined)
    assert not last().holds and last().margin == pytest.approx(-0.2)


# -- verdict lines ------------------------------------------------------------------------


def test_claim_line_shows_kind_measurement_and_margin(capsys):
    claim("Depth helps", measure("error", 0.0123456) <= 0.05, measured={"n": 3})
    out = capsys.readouterr().out
    assert out == (
        "✓ HOLDS [claim]  Depth helps  [measured: error=0.0123 <= 0.05, n=3; margin +75%]\n"
    )


def test_check_line_has_no_margin(capsys):
    check("hand-written equals library", True, measured={"error": 1e-16})
    assert capsys.readouterr().out == (
        "✓ HOLDS [check]  hand-written equals library  [measured: error=1e-16]\n"
    )
    assert last().kind == "check" and last().margin is None


def test_failing_claim_prints_and_raises_with_evidence(capsys):
    with pytest.raises(ClaimFailed, match=r"Depth helps \(measured: error=0\.9 <= 0\.5"):
        claim("Depth helps", measure("error", 0.9) <= 0.5)
    assert capsys.readouterr().out.startswith("✗ FAILS [claim]  Depth helps")
    assert not last().holds


def test_a_claim_needs_a_comparison_not_a_boolean():
    with pytest.raises(TypeError, match="comparison"):
        claim("bare boolean", True)
    with pytest.raises(TypeError, match="comparison"):
        claim("nothing")


def test_tensor_and_numpy_scalars(capsys):
    claim("tensor", measure("t", torch.tensor(2.5)) > 1)
    check("numpy", np.bool_(True), measured=np.float64(1e-9))
    out = capsys.readouterr().out
    assert "t=2.5 > 1" in out and "[measured: 1e-09]" in out


# -- non-finite values --------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_a_non_finite_measurement_fails_with_a_clear_message(value, capsys):
    with pytest.raises(ClaimFailed, match="not finite"):
        claim("finite", measure("loss", value) <= 1e9)
    assert "not finite" in last().measured and last().margin is None


def test_a_non_finite_threshold_cannot_make_the_comparison_vacuous():
    inf = math.inf
    with pytest.raises(ClaimFailed, match="not finite"):
        claim("4x", measure("ratio", inf) >= 4 * inf)


def test_an_expected_divergence_may_be_infinite(capsys):
    claim("diverges", measure("loss", math.inf, nonfinite_ok=True) >= 1e3)
    assert last().holds and last().margin == math.inf


# -- keep-going mode and the summary ------------------------------------------------------


def test_keep_going_prints_the_failure_and_goes_on_then_summary_raises(monkeypatch, capsys):
    monkeypatch.setenv(claims.KEEP_GOING_ENV, "1")
    claim("first fails", measure("x", 1.0) >= 2.0)
    claim("second holds", measure("x", 3.0) >= 2.0)
    check("a check", True)
    out = capsys.readouterr().out
    assert "✗ FAILS [claim]  first fails" in out and "✓ HOLDS [claim]  second holds" in out
    with pytest.raises(ClaimFailed, match="first fails"):
        claims.summary()
    assert "1 of 2 claims and 1 of 1 checks hold." in capsys.readouterr().out


def test_default_mode_stops_at_the_first_failure():
    with pytest.raises(ClaimFailed):
        claim("fails", measure("x", 1.0) >= 2.0)
    assert len(claims.results()) == 1


def test_summary_counts_claims_and_checks_apart(capsys):
    claim("a", measure("x", 1.0) > 0)
    claim("b", measure("x", 2.0) > 0)
    check("c", True)
    assert claims.summary_line() == "2 of 2 claims and 1 of 1 checks hold."
    claims.summary()
    assert capsys.readouterr().out.endswith("2 of 2 claims and 1 of 1 checks hold.\n")


# -- recording ----------------------------------------------------------------------------


def test_verdicts_are_appended_to_the_runner_file(monkeypatch, tmp_path, capsys):
    path = tmp_path / "claims.jsonl"
    monkeypatch.setenv(claims.CLAIMS_FILE_ENV, str(path))
    monkeypatch.setenv(claims.KEEP_GOING_ENV, "1")
    claim("first", measure("err", [0.1, 0.2]) <= 0.4)
    check("second", False, measured=3)
    claim("third", measure("loss", math.nan) <= 1)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["kind"] for r in rows] == ["claim", "check", "claim"]
    assert rows[0]["holds"] and rows[0]["margin"] == pytest.approx(0.5)
    assert rows[0]["values"] == {"err": [0.1, 0.2]} and rows[0]["thresholds"] == {"err": 0.4}
    assert not rows[1]["holds"] and rows[1]["margin"] is None
    assert rows[2]["values"] == {"loss": "nan"} and "not finite" in rows[2]["problem"]


def test_format_margin():
    assert claims.format_margin(0.375) == "+38%"
    assert claims.format_margin(-0.042) == "-4.2%"
    assert claims.format_margin(3.1e14) == "+3.1e+16%"
    assert claims.format_margin(None) == "n/a"
    assert claims.format_margin(math.inf) == "+inf"
    assert claims.format_margin("-inf") == "-inf"  # as stored in JSON


def test_measured_text_never_contains_a_closing_bracket():
    assert "]" not in claims.format_value("list [1, 2]")
    assert claims.masked([1.0, 2.0]) == "[measured: 1 2]"


def test_empty_statement_rejected():
    with pytest.raises(ValueError, match="statement"):
        claim("  ", measure("x", 1.0) > 0)


def test_sanitizer_masks_measured_part(root):
    import configparser
    import re

    cfg = configparser.ConfigParser()
    cfg.read(root / "tests" / "nbval_sanitize.cfg")
    section = cfg["measured"]
    a = "✓ HOLDS [claim]  x  [measured: ratio=3.1e+16 >= 100; margin +3.1e+16%]"
    b = "✓ HOLDS [claim]  x  [measured: ratio=2.9e+15 >= 100; margin +2.9e+15%]"
    mask = lambda s: re.sub(section["regex"], section["replace"], s)  # noqa: E731
    assert mask(a) == mask(b) == "✓ HOLDS [claim]  x  [measured]"
    assert mask("✓ HOLDS [claim]  y  [measured: 1]") != mask(a)


def test_exercise_claims_have_margins_and_are_counted_apart(capsys):
    claims.exercise("Exercise 1: wider is better", measure("gain", 0.3) >= 0.2)
    claim("a", measure("x", 1.0) > 0)
    check("c", True)
    out = capsys.readouterr().out
    assert out.startswith("✓ HOLDS [exercise]  Exercise 1: wider is better  [measured: gain=0.3")
    assert claims.results()[0].kind == "exercise"
    assert claims.results()[0].margin == pytest.approx(0.5)
    assert claims.summary_line() == "1 of 1 claims, 1 of 1 checks and 1 of 1 exercise claims hold."
    with pytest.raises(TypeError, match="comparison"):
        claims.exercise("no comparison", True)


def test_parse_verdict_reads_kind_outcome_and_statement():
    assert claims.parse_verdict("✓ HOLDS [claim]  A b  [measured: x=1 > 0; margin +100%]") == (
        "claim",
        True,
        "A b",
    )
    assert claims.parse_verdict("✗ FAILS [exercise]  E") == ("exercise", False, "E")
    assert claims.parse_verdict("✓ HOLDS  old style") == ("claim", True, "old style")
    assert claims.parse_verdict("something else ✓ HOLDS") is None
