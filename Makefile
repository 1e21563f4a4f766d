# Vigil — build, run and test. Every target installs the Debian packages it needs when they are missing.
SHELL := /bin/bash
SWIFT ?= swift
DATA_DIR ?= $(CURDIR)/data
CONFIG_DIR ?= $(CURDIR)/conf.d
BUILD_FLAGS ?=

# Debian packages: C libraries for the build; real peers (rsyslog, systemd-journal-remote, logger, curl) for tests.
BUILD_PACKAGES := libzstd-dev liblz4-dev libsystemd-dev libpcre2-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) systemd-journal-remote rsyslog bsdutils curl zstd lz4

.PHONY: all build release run test test-fast test-integration deps test-deps bench clean-data

all: build

deps:
	@./scripts/ensure-packages.sh $(BUILD_PACKAGES)

test-deps:
	@./scripts/ensure-packages.sh $(TEST_PACKAGES)

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

# Until vigild exists, `make run` imports a sample into a local store and queries it.
run: build
	@mkdir -p $(DATA_DIR)
	.build/debug/vigil import --data-dir $(DATA_DIR) --config $(CURDIR) samples/sample.log
	.build/debug/vigil stats --data-dir $(DATA_DIR)
	.build/debug/vigil query --data-dir $(DATA_DIR) --level warning --utc

# The whole suite: unit tests, the crash-recovery tests and the CLI tests (which run the built binaries).
test: test-deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

# Only the fast unit tests.
test-fast: test-deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter 'VigilCoreTests|VigilFormatsTests|BlockFormatTests|StoreRoundTripTests|CorruptionTests'

bench: release test-deps
	bench/store-bench.sh

clean-data:
	rm -rf $(DATA_DIR)
