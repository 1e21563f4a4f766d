# Vigil — build, run and test. Every target installs the Debian packages it needs when they are missing.
SHELL := /bin/bash
SWIFT ?= swift
DATA_DIR ?= $(CURDIR)/data
# make run's configuration: the example conf.d/ plus a drop-in with a development API token.
CONFIG_DIR ?= $(CURDIR)/.run
BUILD_FLAGS ?=

# Debian packages: C libraries for the build; real peers (rsyslog, systemd-journal-remote, logger, curl) and a
# real browser (chromium, headless, with its chromedriver) for tests.
BUILD_PACKAGES := libzstd-dev liblz4-dev libsystemd-dev libpcre2-dev zlib1g-dev libjemalloc-dev pkg-config libsqlite3-dev
TEST_PACKAGES := $(BUILD_PACKAGES) systemd-journal-remote rsyslog bsdutils curl zstd lz4 sqlite3 chromium chromium-driver nats-server openssl postgresql
# From PyPI: schemathesis fuzzes the management API against its OpenAPI document; standardwebhooks
# checks the webhooks' signatures independently of vigild; selenium drives chromium through the
# web console.
TEST_PIP_PACKAGES := schemathesis standardwebhooks selenium nats-py:nats

.PHONY: all build release run test test-fast test-integration deps test-deps bench clean-data fuzz fuzz-smoke man install

all: build

deps:
	@./scripts/ensure-packages.sh $(BUILD_PACKAGES)

test-deps:
	@./scripts/ensure-packages.sh $(TEST_PACKAGES)
	@./scripts/ensure-pip-packages.sh $(TEST_PIP_PACKAGES)

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

# The shipped build: the Swift runtime linked in statically (a faster start, no toolchain needed at
# run time; see README "Running vigild as a service"). Its own build folder keeps .build/ for debug.
RELEASE_DIR := .build-static/release
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static $(BUILD_FLAGS)

# Starts vigild in the foreground with the example conf.d/ (syslog on udp 127.0.0.1:5514, HTTP on
# 127.0.0.1:8080, the management API on 127.0.0.1:8081, the local journal) and a data directory under
# the checkout. The API token "dev" is in $(DATA_DIR)/api.token (made once, at random). Ctrl-C stops it.
run: build
	@mkdir -p $(DATA_DIR) $(CONFIG_DIR)/conf.d
	@rm -f $(CONFIG_DIR)/conf.d/*.toml && ln -s $(CURDIR)/conf.d/*.toml $(CONFIG_DIR)/conf.d/
	@[ -s $(DATA_DIR)/api.token ] || od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > $(DATA_DIR)/api.token
	@printf '# Written by make run.\n[api]\nanonymous_reads = true\ntokens = [{ name = "dev", token_file = "%s" }]\n' \
		"$(DATA_DIR)/api.token" > $(CONFIG_DIR)/conf.d/90-make-run.toml
	@echo "vigild: syslog udp 127.0.0.1:5514, http://127.0.0.1:8080 (POST /v1/logs, GET /v1/signals, /metrics, /healthz),"
	@echo "        management API http://127.0.0.1:8081 (token in $(DATA_DIR)/api.token), data in $(DATA_DIR)"
	@echo "try:    logger -n 127.0.0.1 -P 5514 --rfc5424 -t demo 'hello' && .build/debug/vigil query --data-dir $(DATA_DIR)"
	.build/debug/vigild --config $(CONFIG_DIR) --data-dir $(DATA_DIR)

# The slow tests: crash recovery, the CLI and the daemon with real clients; everything else is fast.
SLOW_TESTS := RecoveryTests|VigilCLITests|VigilDaemonIntegrationTests
# Tests that load the machine (fleet mode: three vigild and nats-server under bursts and outages;
# two vigild sharing PostgreSQL) or measure timeouts to a tenth of a second (HTTP hardening, serialized within itself): in a run of
# their own, so neither skews the other or the rest.
FLEET_TESTS := FleetTests|SharedIncidentsTests|HTTPHardeningTests
# The incident store's tests run on SQLite with the fast tests and on PostgreSQL with the slow ones
# (a PostgreSQL client waits on cooperative threads the fast tests' CPU-bound cases hold).
STORE_TESTS := IncidentStoreTests|DeliveryStoreTests

# The whole suite: the unit tests, then (in a run of their own) crash recovery, the CLI tests and the
# daemon integration tests, which run the built vigil and vigild with logger, curl, rsyslogd,
# systemd-journal-remote, sqlite3, schemathesis, nats-server and PostgreSQL. Separate runs, because the unit
# tests' CPU-bound cases would otherwise hold the cooperative threads the daemon tests' waits need.
test: test-deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	VIGIL_TEST_BACKENDS=sqlite $(SWIFT) test --skip-build $(BUILD_FLAGS) --skip '$(SLOW_TESTS)'
	VIGIL_TEST_BACKENDS=postgres $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(SLOW_TESTS)|$(STORE_TESTS)' --skip '$(FLEET_TESTS)'
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(FLEET_TESTS)'

# Only the fast unit tests.
test-fast: test-deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	VIGIL_TEST_BACKENDS=sqlite $(SWIFT) test --skip-build $(BUILD_FLAGS) --skip '$(SLOW_TESTS)'

# Only the slow tests: crash recovery, the CLI and the daemon with real clients.
test-integration: test-deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	VIGIL_TEST_BACKENDS=postgres $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(SLOW_TESTS)|$(STORE_TESTS)' --skip '$(FLEET_TESTS)'
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(FLEET_TESTS)'

# man/vigil.1 and man/vigild.8 from the ArgumentParser definitions, man/vigil.toml.5 from
# man/vigil.toml.5.in and conf.d/ (committed, so an install needs no plugin run).
man:
	scripts/gen-manpages.sh

# Installs the self-contained binaries, the man pages and the annotated examples under PREFIX
# (README "Running vigild as a service" has the rest: user, configuration, unit).
PREFIX ?= /usr/local
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/doc/vigil/examples
	install -m 0755 $(RELEASE_DIR)/vigild $(RELEASE_DIR)/vigil $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 man/vigil.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 man/vigil.toml.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 man/vigild.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 conf.d/*.toml $(DESTDIR)$(PREFIX)/share/doc/vigil/examples/

bench: release test-deps
	bench/store-bench.sh --vigil $(RELEASE_DIR)/vigil
	bench/daemon-bench.sh

clean-data:
	rm -rf $(DATA_DIR)

# libFuzzer targets (Fuzz/README.md), built with the fuzzer and AddressSanitizer in .build-fuzz. Each
# runs for FUZZ_SECONDS from the seed corpus in Fuzz/corpus/TARGET; new inputs go to
# .build-fuzz/corpus/TARGET, crashes to .build-fuzz/crashes/.
FUZZ_TARGETS ?= FuzzSyslog FuzzHTTPBody FuzzJournalEntry FuzzSegment FuzzTOML FuzzTimeExpression FuzzTemplateMiner
FUZZ_SECONDS ?= 300
FUZZ_FLAGS := --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
fuzz: deps
	@mkdir -p .build-fuzz/crashes
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build $(FUZZ_FLAGS) --product $$target || exit 1; \
		mkdir -p .build-fuzz/corpus/$$target; \
		echo "== $$target, $(FUZZ_SECONDS) s"; \
		.build-fuzz/debug/$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=.build-fuzz/crashes/$$target- .build-fuzz/corpus/$$target Fuzz/corpus/$$target 2>&1 \
			| grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done |==[0-9]+==ERROR|SUMMARY)' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# A short run of every target, for CI.
fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20
