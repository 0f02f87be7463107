# MAC Heroes Network: `make run` starts everything, `make test` tests everything.
# Both create .venv and install pinned dependencies first; see README.md.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PACKAGES := libs/servicekit infra/devstack services/membership services/projects \
            services/recognition services/gateway services/portal
PYPROJECTS := $(addsuffix /pyproject.toml,$(PACKAGES))

# mypy --strict (configured in pyproject.toml): the product packages, bench/ and examples/ in one run;
# then each test tree in a run of its own (each is a package named `tests`), with its service's
# migrations (each service has a `migrations.env`).
MYPY_FIRST := libs/servicekit/servicekit infra/devstack/devstack services/membership/membership \
              services/projects/projects services/recognition/recognition services/gateway/gateway \
              services/portal/portal bench examples conftest.py
MYPY_ALONE := libs/servicekit/tests infra/devstack/tests \
              services/membership/tests,services/membership/migrations \
              services/projects/tests,services/projects/migrations \
              services/recognition/tests,services/recognition/migrations \
              services/gateway/tests services/portal/tests tests

.PHONY: run test lint stop install bench-events bench clean-local

run: $(STAMP)
	@$(PY) -m devstack run

# The whole suite (no ARGS, as CI runs it) lints first, so a new finding fails it; a targeted
# `make test ARGS=...` does not.
test: $(STAMP)
ifeq ($(strip $(ARGS)),)
	@$(MAKE) --no-print-directory lint
endif
	@$(PY) -m devstack test $(ARGS)

lint: $(STAMP)
	@echo "==> ruff check ."
	@$(PY) -m ruff check .
	@echo "==> mypy --strict"
	@$(PY) -m mypy $(MYPY_FIRST)
	@for run in $(MYPY_ALONE); do $(PY) -m mypy $$(echo $$run | tr , ' ') || exit 1; done

stop:
	@if [ -x $(PY) ]; then $(PY) -m devstack stop; else echo "nothing to stop (no .venv)"; fi

install: $(STAMP)

$(STAMP): requirements/constraints.txt requirements/dev.txt $(PYPROJECTS)
	@echo "==> Preparing the Python environment in $(VENV) (first time: a few minutes)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --disable-pip-version-check --progress-bar on \
		-c requirements/constraints.txt -r requirements/dev.txt $(addprefix -e ,$(PACKAGES))
	@$(PY) -c "import servicekit, devstack, membership, projects, recognition, gateway, portal"
	@$(PY) -m servicekit.graphiql install
	@touch $(STAMP)

bench-events: $(STAMP)
	@$(PY) -m devstack bench bench/events.py

BENCHMARKS := $(filter-out bench/harness.py bench/__init__.py bench/peer_%.py,$(wildcard bench/*.py))

bench: $(STAMP)
	@for b in $(BENCHMARKS); do $(PY) -m devstack bench $$b || exit 1; done

clean-local:
	@echo "This deletes all local data (.local/). Stop the network first (make stop)."
	rm -rf .local
