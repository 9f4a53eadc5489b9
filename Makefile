# dlconcepts: the two commands are `make run` and `make test`; each sets itself up.
# Python 3.11, 3.12 or 3.13: the newest one found is used to create $(VENV), unless you
# name one (make run PYTHON=/path/to/python3.12).
PYTHON ?=
VENV   ?= .venv
SEEDS  ?= 0-9
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlconcepts-installed
JOBS   ?= 2
BOOK   := $(BIN)/python -m dlconcepts.site --out build/site
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
                --nbval-cell-timeout 300 -n $(JOBS) --dist loadscope

.PHONY: help setup run test lint notebooks sweep student book lab clean clean-all

help:
	@echo "make run        execute every notebook fresh, check every claim, print the verdict table"
	@echo "make test       lint, unit tests, notebook structure checks and nbval over every notebook"
	@echo "make notebooks  re-execute every notebook in place (fresh kernel, seed 0) for committing"
	@echo "make sweep      run every notebook at seeds $(SEEDS); store each claim's margins (minutes)"
	@echo "make student    write the student edition (solutions replaced by stubs) to build/student"
	@echo "make book       build the static site (offline) into build/site"
	@echo "make lab        open JupyterLab on the notebooks"
	@echo "make clean      remove build outputs (keeps .venv); 'make clean-all' removes .venv too"

setup: $(STAMP)

# The virtual environment, with the exact versions from constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || { \
	  py="$(PYTHON)"; \
	  if [ -z "$$py" ]; then \
	    for c in python3.13 python3.12 python3.11 python3; do \
	      if $$c -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; \
	      then py=$$c; break; fi; \
	    done; \
	  fi; \
	  if [ -z "$$py" ]; then \
	    echo "error: no Python 3.11, 3.12 or 3.13 found; install one, or run 'make run PYTHON=/path/to/python3.x'"; \
	    exit 1; \
	  fi; \
	  version=$$($$py -c 'import platform; print(platform.python_version())') || exit 1; \
	  echo "[1/3] Creating $(VENV) with $$py (Python $$version) ..."; \
	  $$py -m venv $(VENV) || exit 1; }
	@echo "[2/3] Installing dlconcepts and its pinned dependencies into $(VENV):"
	@echo "      about 6 GB (PyTorch's CUDA-enabled wheels, which also run on a CPU); 2-5 minutes the first time"
	@$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on \
	  -c constraints.txt -e ".[dev,docs]" 2>&1 \
	  | grep --line-buffered -v -e "^WARNING: Location" -e "^Requirement already satisfied" || true
	@echo "[3/3] Checking the installation ..."
	@$(BIN)/python -c "import dlconcepts, torch, torchvision, nbval, sphinx, myst_nb, sphinx_book_theme" \
	  || { echo "error: the installation in $(VENV) is incomplete (see the messages above)"; exit 1; }
	@$(BIN)/python -c "import platform, torch; print(f'      ready: Python {platform.python_version()}, torch {torch.__version__}')"
	@touch $(STAMP)

# Verify, then build the site even when a notebook failed (it shows the failure), and
# exit with the verification's status.
run: $(STAMP)
	@$(BIN)/dlconcepts verify --jobs $(JOBS); status=$$?; $(BOOK) || exit 1; exit $$status

# The student edition for workshops: every exercise solution replaced by nbgrader's stub.
student: $(STAMP)
	$(BIN)/dlconcepts student --out build/student

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

# The robustness sweep: every notebook at every seed, stored in results/robustness.json
# (about 10 s per notebook and seed, two at a time). `make sweep NB="04 17"` sweeps some.
sweep: $(STAMP)
	$(BIN)/dlconcepts sweep $(NB) --seeds $(SEEDS) --jobs $(JOBS)

lab: $(STAMP)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[lab]"
	@# JupyterLab refuses to start as root (as in most containers) unless told it may.
	$(BIN)/jupyter lab notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV)
