"""Small helpers shared by the tests (not tests themselves)."""

import nbformat

from dlconcepts import catalog


def write_notebook(folder, number, *sources):
    """A notebook of code cells, saved in ``folder`` under question ``number``'s name."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / catalog.get(number).filename
    nbformat.write(nb, path)
    return path
