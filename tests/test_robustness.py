"""The stored robustness sweep (results/robustness.json) is current and every claim held.

CI does not rerun the sweep (minutes per notebook); it checks that what is stored matches
the notebooks: a notebook whose code changed, or whose claims were added, removed or
renamed since its sweep, fails here until `make sweep` (or `dlconcepts sweep NN`) is run.
"""

import pytest

from dlconcepts import catalog, sweep

WRITTEN = catalog.available()
SEEDS = list(range(10))


@pytest.fixture(scope="module")
def stored():
    return sweep.load()


@pytest.mark.parametrize("entry", WRITTEN, ids=[e.code for e in WRITTEN])
def test_stored_sweep_matches_the_notebook(entry, stored):
    assert sweep.stale_reasons(entry, stored) == []


@pytest.mark.parametrize("entry", WRITTEN, ids=[e.code for e in WRITTEN])
def test_every_claim_and_check_held_at_every_seed_of_the_sweep(entry, stored):
    row = stored["notebooks"].get(entry.code)
    assert row is not None, f"{entry.code} has not been swept"
    assert set(SEEDS) <= set(row["seeds"]), f"swept at {row['seeds']}, not at 0-9"
    assert row["errors"] == {}
    failing = [f"{c['statement']} ({c['held']}/{c['runs']})" for c in row["claims"]
               if c["held"] != c["runs"]]  # fmt: skip
    assert failing == []
    claims = [c for c in row["claims"] if c["kind"] == "claim"]
    assert len(claims) >= 2
    assert all(c["worst"] >= 0 for c in claims)
