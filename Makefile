# Blanche: `make run`, `make test`, `make bench` bootstrap a fresh Debian 12 machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.stamp-pip
APT_STAMP_RUN := var/.stamp-apt-run
APT_STAMP_TEST := var/.stamp-apt-test

# Fonts so that Latin, Greek, Cyrillic, CJK and emoji render in the PDF;
# poppler-utils to look at rendered pages.
APT_RUN := fonts-liberation fonts-dejavu-core fonts-wqy-microhei fonts-noto-color-emoji poppler-utils
APT_TEST := $(APT_RUN) chromium postgresql

.PHONY: run test bench bench-load lint clean

$(PIP_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(APT_STAMP_RUN):
	mkdir -p var
	bash scripts/apt-ensure.sh $(APT_RUN)
	touch $@

$(APT_STAMP_TEST): $(APT_STAMP_RUN)
	bash scripts/apt-ensure.sh $(APT_TEST)
	touch $@

# The service on :8000, the example partner page on :8001 (a second origin), the
# theme studio (Reflex, built offline with bun from npm) on :8002, and the sandbox PA
# (a test double of a plateforme agréée) on :8003, which the demo company sends to.
run: $(PIP_STAMP) $(APT_STAMP_RUN)
	bash scripts/build-studio.sh
	$(VENV)/bin/blanche db upgrade
	$(VENV)/bin/blanche demo-invoice var/demo-invoice.pdf
	$(VENV)/bin/blanche demo --pa-sandbox-url http://127.0.0.1:8003
	$(PY) -m themes.studio.serve --host 127.0.0.1 --port 8002 & studio=$$!; \
	$(VENV)/bin/blanche pa-sandbox --host 127.0.0.1 --port 8003 & sandbox=$$!; \
	trap 'kill $$studio $$sandbox' EXIT INT TERM; \
	BLANCHE_PA_ALLOW_PRIVATE_TARGETS=1 \
	$(VENV)/bin/blanche serve --host 127.0.0.1 --port 8000 --host-page-port 8001

lint: $(PIP_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy invoicing server editor themes embed bench

test: $(PIP_STAMP) $(APT_STAMP_TEST) lint
	bash scripts/build-studio.sh
	$(PY) -m pytest -q

bench: $(PIP_STAMP) $(APT_STAMP_TEST)
	$(PY) -m bench
	$(PY) -m server.webhooks.bench --events 1000 --samples 100

bench-load: $(PIP_STAMP) $(APT_STAMP_TEST)
	$(PY) -m bench editor-load

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
