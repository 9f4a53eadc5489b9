import pytest

from dlconcepts import catalog


def test_twenty_questions_numbered_in_order():
    assert catalog.numbers() == list(range(1, 21))
    assert len({e.slug for e in catalog.CATALOG}) == 20


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


@pytest.mark.parametrize("bad", [0, 21, "99", "x", None])
def test_get_rejects_unknown_numbers(bad):
    with pytest.raises(ValueError, match="numbered 1 to 20"):
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
    assert len(table) == 22
    assert "notebooks/05_vanishing_gradients.ipynb" in table[2 + 4]
    assert table[2].endswith("| planned |")
