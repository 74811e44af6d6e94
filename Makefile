# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
SMS_PORT ?= 8025

.PHONY: install system-packages run test lint bench-calendar screenshots

# uv itself is pinned and kept in its own small venv, so the project venv holds exactly the lock file.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

install: $(UV) system-packages
	$(UV) sync --frozen --quiet

# Debian packages drawn on at run time: CJK fonts and pango for PDF notices, chromium for browser tests.
system-packages:
	@scripts/system-packages

# The address printed on paper notices (their QR code and link) and shown by the kiosk: YIWANG_SITE_URL
# when set (behind a proxy or a domain), else where this server listens; listening on every interface
# (0.0.0.0), this machine's first address instead, as 0.0.0.0 opens nothing on a phone.
run: export YIWANG_SITE_URL := $(or $(YIWANG_SITE_URL),http://$(or $(if $(filter 0.0.0.0 ::,$(HOST)),$(firstword $(shell hostname -I 2>/dev/null))),$(HOST)):$(PORT))
run: install
	$(VENV)/bin/yiwang migrate --noinput
	$(VENV)/bin/yiwang load_demo
	$(VENV)/bin/yiwang collectstatic --noinput --verbosity 0
	@echo "一网通办 serving on http://$(HOST):$(PORT)/ (admin: /admin/, API: /api/v1/docs)"
	@echo "notices link to $$YIWANG_SITE_URL (set YIWANG_SITE_URL to the public address behind a proxy)"
	@echo "worker: yiwang run_huey; SMS: $${YIWANG_SMS_URL:-the demo gateway on http://127.0.0.1:$(SMS_PORT)/}"
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) SMS_PORT=$(SMS_PORT) scripts/serve

# Compiled modules are kept (even where PYTHONDONTWRITEBYTECODE is set): the suite starts `yiwang` in
# subprocesses (migrate, backup, restore), and each would otherwise compile Django and Yiwang again.
test: install
	env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest

# Style, formatting, types (django-stubs, 0 errors in src/) and the import-linter layer contracts.
lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

bench-calendar: install
	$(VENV)/bin/python bench/calendar

# PNGs of the portal, the workbenches and the kiosk under var/screenshots/ (demo data, Debian's chromium).
screenshots: install
	$(VENV)/bin/python scripts/screenshots
