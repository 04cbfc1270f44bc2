# Every target creates .venv and installs the project into it when it is
# missing or pyproject.toml changed, so each works alone on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-large test run lint bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python bot.py console

# The console on a generated caseload (bench/caseload.py) in a temporary database:
# COUNT people (1,200 by default), with namesakes, shared places and mass-arrest days.
# DENSE=1 gives the issue's worst case: 10 first names x 12 surnames, detained on one day.
COUNT ?= 1200
demo-large: $(STAMP)
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && \
	$(BIN)/python bench/caseload.py --count $(COUNT) $(if $(DENSE),--dense) > "$$work/cases.yaml" && \
	BOT_DB="$$work/casewatch.sqlite3" $(BIN)/python bot.py import "$$work/cases.yaml" && \
	BOT_DB="$$work/casewatch.sqlite3" $(BIN)/python bot.py console

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto
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
	$(BIN)/python bench/bench_delivery.py --http --chats 300
	$(BIN)/python bench/bench_reply_under_load.py
	$(BIN)/python bench/bench_flood.py
	$(BIN)/python bench/bench_cpu_per_update.py
	$(BIN)/python bench/bench_operations.py
	$(BIN)/python bench/bench_releases.py
	$(BIN)/python bench/bench_digest.py
	$(BIN)/python bench/bench_sync_read.py
	$(BIN)/python bench/bench_sync_fetch.py
	$(BIN)/python bench/bench_list.py

# A translator's loop: make messages, then edit messages/locale/<lang>/LC_MESSAGES/messages.po.
# Extracts every msgid from the templates into messages/messages.pot and merges
# it into each catalogue (a changed text comes back fuzzy, for review). Locations
# name the file only, so moving a line does not touch every catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -c Translators: --add-location=file --project=casewatch \
		--copyright-holder="the casewatch authors" -o messages/messages.pot .
	@# The extraction's time would make every branch's catalogue differ: it is left out.
	sed -i '/^"POT-Creation-Date:/d' messages/messages.pot
	$(BIN)/pybabel update -i messages/messages.pot -d messages/locale -D messages \
		--ignore-obsolete --ignore-pot-creation-date

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
