# Bootstrap only: the system packages, the virtual environment from the lock,
# the npm checkers; then hand over to the task runner. Every rule lives in
# tasks.py and the code it calls.

PYTHON ?= python3
# The preview's port on 127.0.0.1: make serve PORT=8001
PORT ?= 8000
VENV := .venv
INVOKE := $(VENV)/bin/invoke
READY := $(VENV)/.installed
# The checkers `make test` runs on the built site (vnu.jar, axe-core, Lighthouse), from npm.
NODE_READY := node_modules/.installed
# Installs what a fresh Debian or Ubuntu machine lacks; prints nothing when all is there.
SYSTEM := $(PYTHON) scripts/system_packages.py

.PHONY: serve test build clean system-serve system-test
.DEFAULT_GOAL := serve

# Prerequisites run left to right: system packages first (the venv needs python3-venv).
serve: system-serve $(READY) ; $(INVOKE) serve --port $(PORT)
test: system-test $(READY) $(NODE_READY) ; $(INVOKE) test
build: system-serve $(READY) ; $(INVOKE) build
clean: system-serve $(READY) ; $(INVOKE) clean

system-serve: ; @$(SYSTEM) serve
system-test: ; @$(SYSTEM) test

$(READY): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed; install it, or run: make PYTHON=python3.12"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime;
# the system Java (default-jre-headless) runs vnu.jar instead.
$(NODE_READY): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@
