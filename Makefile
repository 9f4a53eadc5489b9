# dlconcepts: the two commands are `make run` and `make test`; each sets itself up.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlconcepts-installed
JOBS   ?= 2
BOOK   := $(BIN)/python -m dlconcepts.site --out build/site
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
                --nbval-cell-timeout 300 -n $(JOBS) --dist loadscope

.PHONY: help setup run test lint notebooks book lab clean

help:
	@echo "make run        execute every notebook fresh, check every claim, print the verdict table"
	@echo "make test       lint, unit tests, notebook structure checks and nbval over every notebook"
	@echo "make notebooks  re-execute every notebook in place (fresh kernel, seed 0) for committing"
	@echo "make book       build the static site (offline) into build/site"
	@echo "make lab        open JupyterLab on the notebooks"
	@echo "make clean      remove build outputs (keeps .venv); 'make clean-all' removes .venv too"

setup: $(STAMP)

# The virtual environment, with the exact versions from constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || { \
	  command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }; \
	  echo "Creating $(VENV) with $(PYTHON) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "Installing dlconcepts and its pinned dependencies into $(VENV) (first time: a few minutes) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,docs]" 2>&1 \
	  | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import dlconcepts, torch, torchvision, nbval, sphinx, myst_nb, sphinx_book_theme" \
	  || { echo "error: the installation in $(VENV) is incomplete (see the messages above)"; exit 1; }
	@touch $(STAMP)

# Verify, then build the site even when a notebook failed (it shows the failure), and
# exit with the verification's status.
run: $(STAMP)
	@$(BIN)/dlconcepts verify --jobs $(JOBS); status=$$?; $(BOOK) || exit 1; exit $$status

# The static site, from the stored notebooks and build/report.json; nothing is fetched.
book: $(STAMP)
	$(BOOK)

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks
	$(BIN)/ruff format --check src tests notebooks

test: lint
	$(BIN)/python -m pytest $(PYTEST_NBVAL) tests notebooks

notebooks: $(STAMP)
	$(BIN)/dlconcepts verify --in-place --seed 0 --jobs $(JOBS)

lab: $(STAMP)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[lab]"
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV)
