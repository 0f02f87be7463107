# MAC Heroes Network: `make run` starts everything, `make test` tests everything.
# Both create .venv and install pinned dependencies first; see README.md.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PACKAGES := libs/servicekit infra/devstack services/membership services/projects \
            services/recognition services/gateway services/portal
PYPROJECTS := $(addsuffix /pyproject.toml,$(PACKAGES))

.PHONY: run test stop install bench-events bench clean-local

run: $(STAMP)
	@$(PY) -m devstack run

test: $(STAMP)
	@$(PY) -m devstack test $(ARGS)

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
