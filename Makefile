# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8501
# One stamp per lock file: each is stale whenever its lock (or pyproject.toml) changes, so the venv follows them.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench setup test-deps lock clean

$(RUN_STAMP): requirements/run.lock requirements/build.lock pyproject.toml
	@bash scripts/setup-venv.sh "$(PYTHON)" "$(VENV)" requirements/run.lock
	@touch $@

$(TEST_STAMP): requirements/test.lock requirements/build.lock pyproject.toml
	@bash scripts/setup-venv.sh "$(PYTHON)" "$(VENV)" requirements/test.lock
	@touch $@

setup: $(TEST_STAMP)

# Only what running needs (requirements/run.lock); test tools come with `make test`.
run: $(RUN_STAMP)
	@if [ "$(HOST)" = "0.0.0.0" ] || [ "$(HOST)" = "::" ]; then \
	  echo "Open http://localhost:$(PORT) in your browser here, or http://<this computer's address>:$(PORT) on another device; press Ctrl+C to stop."; \
	else \
	  echo "Open http://$(HOST):$(PORT) in your browser; press Ctrl+C to stop."; \
	fi
	@$(VENV)/bin/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test-deps:
	@bash scripts/ensure-test-deps.sh

test: $(TEST_STAMP) test-deps
	bash scripts/run-tests.sh $(PY)

bench: $(TEST_STAMP) test-deps
	$(PY) -m bench

# Regenerate requirements/*.lock from pyproject.toml (see README, "Upgrading dependencies").
lock:
	@bash scripts/lock.sh $(ARGS)

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache
