# The two commands: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv browser lint messages serve clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  peerassist is starting at http://$(HOST):$(PORT)/"
	@echo "  Sign in with: demo / peerassist-demo"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's Chromium and Thai fonts. As root with apt-get we install
# them; elsewhere the browser tests skip and say how (CI sets REQUIRE_BROWSER=1).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg fonts-noto-color-emoji; \
	fi

test: $(STAMP) browser
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the Thai catalogue after changing strings, then compile it (commit both files).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l th --no-location --no-obsolete -i ".venv/*" -i "staticfiles/*" -i "test-results/*" -i "tests/*" -i "tools/*"
	$(BIN)/python tools/merge_po.py
	$(BIN)/python manage.py compilemessages -l th -i ".venv"

# Production: gunicorn + whitenoise with DEBUG off (needs SECRET_KEY and ALLOWED_HOSTS).
serve: $(STAMP)
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py createcachetable
	DEBUG=0 $(BIN)/gunicorn peerassist.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

# Benchmarks: 2,000 sessions in their own database (var/bench/, and peerassist_bench on
# PostgreSQL when reachable), every page through gunicorn, a scale curve, the participant
# page's weight in Chromium and a 60 s load test. Writes BENCHMARKS.md.
# Quicker: make bench BENCH_ARGS="--scale 0.1 --load 10"
bench: $(STAMP) browser
	$(BIN)/python -m bench --write $(BENCH_ARGS)

clean:
	rm -rf staticfiles test-results
