import pytest

from dlconcepts import catalog


def test_twenty_questions_then_four_beyond_numbered_in_order():
    assert catalog.numbers() == list(range(1, 25))
    assert len({e.slug for e in catalog.CATALOG}) == 24
    assert [e.number for e in catalog.classic()] == list(range(1, 21))
    assert [e.slug for e in catalog.beyond()] == [
        "attention", "transformers", "residual_connections", "cross_entropy"
    ]  # fmt: skip
    assert all(e.topic == catalog.BEYOND for e in catalog.beyond())


def test_entries_are_complete():
    for e in catalog.CATALOG:
        assert e.question.endswith("?"), e
        assert e.answer and len(e.answer) < 100, e
        assert e.topic in catalog.TOPICS, e
        assert e.filename == f"{e.number:02d}_{e.slug}.ipynb"
        assert e.title.startswith(f"{e.number:02d} · ")


def test_get_accepts_int_and_padded_string():
    assert catalog.get(5) is catalog.get("05")
    assert catalog.get("05").slug == "vanishing_gradients"


@pytest.mark.parametrize("bad", [0, 25, "99", "x", None])
def test_get_rejects_unknown_numbers(bad):
    with pytest.raises(ValueError, match="numbered 1 to 24"):
        catalog.get(bad)


def test_notebooks_dir_can_be_overridden(monkeypatch, tmp_path):
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(tmp_path))
    assert catalog.notebooks_dir() == tmp_path.resolve()
    assert catalog.available() == []
    (tmp_path / catalog.get(3).filename).write_text("{}")
    assert [e.number for e in catalog.available()] == [3]


def test_markdown_table_links_written_notebooks(monkeypatch, tmp_path):
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(tmp_path))
    (tmp_path / catalog.get(5).filename).write_text("{}")
    table = catalog.markdown_table().splitlines()
    assert len(table) == 22 + 3 + 6  # the twenty, a heading, the four beyond
    assert "notebooks/05_vanishing_gradients.ipynb" in table[2 + 4]
    assert table[2].endswith("| planned |")
    assert table[23] == "### Beyond the twenty" and table[27].startswith(
        "| 21 | What is attention?"
    )


def test_markdown_table_escapes_a_bar_inside_a_cell():
    rows = [line for line in catalog.markdown_table().splitlines() if line.startswith("| 18 |")]
    assert len(rows) == 1
    assert r"p(y \| x)" in rows[0]
    assert rows[0].replace(r"\|", "").count("|") == 5  # four cells
