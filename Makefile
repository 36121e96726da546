# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
BUILD := build
BIN := $(BUILD)/kakehashi
DB := var/kakehashi.db
JOBS ?= $(shell nproc)

.PHONY: run test build deps configure asan clean

deps:
	@scripts/install-deps

configure: deps
	@cmake --preset release >/dev/null

build: configure
	@cmake --build --preset release -j $(JOBS)

run: build
	@mkdir -p var
	@if [ ! -f $(DB) ]; then $(BIN) --db $(DB) demo; else $(BIN) --db $(DB) demo --show-logins; fi
	@$(BIN) --db $(DB) serve --listen 127.0.0.1:8080

test: build
	@ctest --preset release -j $(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

clean:
	@rm -rf $(BUILD) build-debug build-asan
