# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: run test bench setup test-deps clean

# The stamp is stale whenever pyproject.toml changes, so dependencies follow the project.
$(STAMP): pyproject.toml
	@bash scripts/setup-venv.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test-deps:
	@bash scripts/ensure-test-deps.sh

test: $(STAMP) test-deps
	bash scripts/run-tests.sh $(PY)

bench: $(STAMP) test-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
