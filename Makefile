# Every target creates .venv and installs the project into it when it is
# missing or pyproject.toml changed, so each works alone on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test run lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python bot.py console

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

run: $(STAMP)
	$(BIN)/python bot.py run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_throughput.py
	$(BIN)/python bench/bench_fanout.py
	$(BIN)/python bench/bench_delivery.py
	$(BIN)/python bench/bench_reply_under_load.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
