# Bootstrap only: make the virtual environment from the lock, then hand over
# to the task runner. Every rule lives in tasks.py and the code it calls.

PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke
READY := $(VENV)/.installed
# The checkers `make test` runs on the built site (vnu.jar, axe-core), from npm.
NODE_READY := node_modules/.installed

.PHONY: serve test build clean
.DEFAULT_GOAL := serve

serve: $(READY) ; $(INVOKE) serve
test: $(READY) $(NODE_READY) ; $(INVOKE) test
build: $(READY) ; $(INVOKE) build
clean: $(READY) ; $(INVOKE) clean

$(READY): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed; install it, or run: make PYTHON=python3.12"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV). On Debian or Ubuntu run: sudo apt-get install python3-venv"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime;
# the system Java (default-jre-headless) runs vnu.jar instead.
$(NODE_READY): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the HTML checker and axe-core. On Debian or Ubuntu run: sudo apt-get install nodejs npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@
