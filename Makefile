# Two entry points (see README): `make run` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= kg-store
PORT   ?= 7878

BENCH_ARTICLES ?= 10000 100000
BENCH_ENDPOINT ?= 10000

.PHONY: run test setup build bench vendor clean system-packages docs model

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs,learn]'
	# bytecode, as a non-editable install has it, even where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/python -m compileall -q kg
	touch $(STAMP)

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/kg build seeds --store $(STORE)
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg query troop-claims --store $(STORE)

run: build
	$(BIN)/kg serve --store $(STORE) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Refit the evidence model on the annotated articles and training/ (docs/extraction.md), then
# print the leave-one-conflict-out table it is chosen by
model: $(STAMP)
	$(BIN)/python -m kg.training lexicons/evidence.toml
	$(BIN)/python benchmarks/loco.py

# The documentation site in build/site: the vocabulary and cookbook pages generated from ontology/
# and queries/, then MkDocs in strict mode (a broken link or any warning fails it)
# (NO_MKDOCS_2_WARNING: Material's banner about its own future, printed on every build; not a
# warning about these docs, which --strict would fail on)
docs: $(STAMP)
	$(BIN)/python docs/generate.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Debian's chromium and nginx-light, for the browser and proxy tests (they skip without them); root
system-packages:
	bash .ci/system-packages

# Figures, not pass/fail: extractor speed, linearity, the scale table and the endpoint against
# oxigraph serve-read-only (benchmarks/RESULTS.md written anew: current figures only; 10k and 100k articles take about 40 min here)
bench: $(STAMP)
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/linear_inputs.py
	head -n 7 benchmarks/RESULTS.md > benchmarks/RESULTS.md.new && mv benchmarks/RESULTS.md.new benchmarks/RESULTS.md
	$(BIN)/python benchmarks/scale.py --articles $(BENCH_ARTICLES) --endpoint $(BENCH_ENDPOINT) --out benchmarks/RESULTS.md

# The JavaScript libraries the pages use, at the exact versions of web/package-lock.json, copied
# into kg/server/static/vendor (committed: kg needs no npm and no network to serve them)
vendor:
	sh web/vendor.sh

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
