# The two commands: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one a core. PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= auto

.PHONY: help run test venv browser lint messages serve serve-http backup faults clean bench

help: ## list the targets
	@echo "peerassist: the two commands are 'make run' and 'make test'."
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 22

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the requirements

run: $(STAMP) ## migrate, load the demo, serve http://127.0.0.1:8000, run the email worker and the schedule
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_demo_lessons
	$(BIN)/python manage.py load_demo_trends
	@echo ""
	@echo "  peerassist is starting at http://$(HOST):$(PORT)/ with its email worker,"
	@echo "  and run_scheduled every 60 s: reminders, check-backs, summaries (log: var/run_scheduled.log)"
	@echo "  Sign in with: demo / peerassist-demo   (Ctrl-C stops all three)"
	@echo ""
	@# On Ctrl-C (or when the server stops) the group is stopped once: the shell ignores
	@# its own TERM, so the trap does not run itself again (bash overflowed its stack).
	@trap 'trap "" INT TERM; trap - EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker & \
	while true; do $(BIN)/python manage.py run_scheduled >> var/run_scheduled.log 2>&1; sleep 60; done & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's Chromium and Thai fonts, and the catalogue test gettext. As
# root with apt-get we install them; elsewhere those tests skip and say how (CI sets
# REQUIRE_BROWSER=1 and REQUIRE_GETTEXT=1, under which a missing one fails instead).
browser: ## install Chromium, Thai fonts and gettext (as root on Debian)
	@if { [ ! -x /usr/bin/chromium ] || ! command -v xgettext >/dev/null; } && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg fonts-noto-color-emoji gettext; \
	fi

test: $(STAMP) browser ## run every test (PYTEST_ARGS="tests/aar -x" for a part)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP) ## ruff, the format check, one-way app imports, the missing-migration check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the Thai catalogue after changing strings, then compile it (commit both files).
messages: $(STAMP) ## refresh and compile the Thai catalogue
	$(BIN)/python manage.py makemessages -l th --no-location --no-obsolete -i ".venv/*" -i "staticfiles/*" -i "test-results/*" -i "tests/*" -i "tools/*"
	$(BIN)/python tools/merge_po.py
	$(BIN)/python manage.py compilemessages -l th -i ".venv"

# Production: gunicorn + whitenoise with DEBUG off (needs SECRET_KEY and ALLOWED_HOSTS).
serve: $(STAMP) ## production: check --deploy, collectstatic, migrate, gunicorn
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py createcachetable
	DEBUG=0 $(BIN)/gunicorn peerassist.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

# The background worker that sends every email (django-tasks' database backend). Run one
# or more beside `make serve` in production (docs/deploy.md); each task runs once.
worker: $(STAMP) ## production: the email worker (run beside make serve)
	DEBUG=0 exec $(BIN)/python manage.py db_worker --no-reload

# Production mode on plain HTTP, to try `make serve` on a laptop: DEBUG=0 with a throwaway
# SECRET_KEY, localhost only, no HTTPS settings, so only check --deploy's errors stop it.
serve-http: $(STAMP) ## production mode on plain HTTP at http://127.0.0.1:8000, to try it locally
	mkdir -p var
	@test -f var/trial-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/trial-secret-key
	export DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/trial-secret-key)}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/python manage.py check --deploy --fail-level ERROR && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py createcachetable && \
	{ trap 'trap "" INT TERM; trap - EXIT; kill 0' INT TERM EXIT; $(BIN)/python manage.py db_worker --no-reload & \
	$(BIN)/gunicorn peerassist.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}; }

# A consistent copy while the app runs: SQLite's online backup, or pg_dump. Restore steps:
# docs/deploy.md. BACKUP=path/to/file chooses where (default var/backups/).
backup: $(STAMP) ## a consistent backup of the database, safe while serving (BACKUP=file)
	$(BIN)/python manage.py backup $(if $(BACKUP),--output "$(BACKUP)")

# Benchmarks: 5,000 sessions (100,000 AARs, searched) in their own database (var/bench/, and peerassist_bench on
# PostgreSQL when reachable), every page through gunicorn, a scale curve, the participant
# page's weight in Chromium and a 60 s load test. Writes BENCHMARKS.md.
# Quicker: make bench BENCH_ARGS="--scale 0.1 --load 10"
# The funder's view (issue 20): 10,000 sessions over 5 years, 50 organisations, after the
# main benchmark; FUNDER_ARGS="--scale 0.05 --requests 3" for a quick run.
bench: $(STAMP) browser ## the benchmark: 5,000 sessions, every page, search; the funder's view at 10,000; writes BENCHMARKS.md
	$(BIN)/python -m bench --write $(BENCH_ARGS)
	$(BIN)/python -m bench.funder --write $(FUNDER_ARGS)
	$(MAKE) check-pages

# Lighthouse 12 (mobile and desktop) and the Nu HTML Checker on every main page of the
# demo data; installs them from npm into var/tools/ (and Java from Debian) when missing.
.PHONY: check-pages
check-pages: $(STAMP) browser ## Lighthouse and vnu on every page, into BENCHMARKS.md
	$(BIN)/python -m bench.checkers --write $(CHECKERS_ARGS)

# Faults under load on 127.0.0.1: a worker killed, PostgreSQL connections terminated, a
# 10 s SQLite write lock, two servers on one PostgreSQL. Fails if anything confirmed is
# lost or saved twice. FAULTS_ARGS="--seconds 5" for a short run; --write updates BENCHMARKS.md.
faults: $(STAMP) ## faults under load on every database here; 0 lost, 0 duplicates or it fails
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

clean: ## remove collected static files and test results
	rm -rf staticfiles test-results
