# Yurt: one entry point. `make` lists the targets.
#
# Tool versions are pinned in one place per toolchain and nowhere else:
#   Go tools (buf, protoc-gen-go, protoc-gen-go-grpc)  tools/go.mod + tools/go.sum
#   Python packages and tools                          sdk-python/constraints.txt
#   Rust crates                                        Cargo.lock
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

ROOT := $(CURDIR)
BIN := $(ROOT)/build/bin
BUF := $(BIN)/buf
BASELINE := baseline/nomad-plugin-api-v0.1.0.binpb
GEN_DIRS := go/gen sdk-python/src/yurt/_proto sdk-rust/yurt/src/gen sdk-rust/yurt-supervise/src/gen \
	sdk-python/src/yurt/_constants.py sdk-rust/yurt/src/constants.rs spec/vectors
GO_MODULES := go conformance examples/go examples/rust/nvidia-gpu/probe bench

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BUF) $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc: tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	cd tools && GOWORK=off go build -o $(BIN)/ github.com/bufbuild/buf/cmd/buf \
		google.golang.org/protobuf/cmd/protoc-gen-go google.golang.org/grpc/cmd/protoc-gen-go-grpc
	@touch $(BUF) $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc

.PHONY: tools
tools: $(BUF) ## Build the pinned Go tools into build/bin and the Python venv
	$(MAKE) -C sdk-python venv

.PHONY: generate
generate: tools ## Regenerate all generated code (Go, Python, Rust) from proto/ and spec/
	$(BUF) generate
	$(MAKE) -C sdk-python generate
	$(MAKE) -C sdk-rust generate
	@# after buf (which cleans go/gen): the handshake constants from spec/handshake.json,
	@# then the shared test vectors cut from Go's behaviour (spec/vectors/)
	cd go && go run ./internal/constgen/cmd && go run ./internal/vectors/gen

.PHONY: check-generated
check-generated: tools ## Fail if generated code differs from what proto/ produces
	@mkdir -p build && ./scripts/hash-tree.sh $(GEN_DIRS) > build/generated.before
	@$(MAKE) generate
	@./scripts/hash-tree.sh $(GEN_DIRS) > build/generated.after
	@if ! diff build/generated.before build/generated.after >/dev/null; then \
		diff build/generated.before build/generated.after | grep '^[<>]' | sed 's/^</  was:/; s/^>/  now:/' >&2 || true; \
		echo "error: generated code was out of date or edited by hand. It has been regenerated now:" >&2; \
		echo "       review and commit the result ('make generate' regenerates it too)." >&2; \
		exit 1; \
	fi
	@echo "generated code is up to date"

.PHONY: lint
lint: tools ## buf lint, format and breaking; go vet and gofmt; each SDK's linters
	$(BUF) lint
	$(BUF) format --diff --exit-code
	$(BUF) breaking --against $(BASELINE)
	@for m in $(GO_MODULES); do (cd $$m && go vet ./...); done
	@bad=$$(gofmt -l $(GO_MODULES) | grep -v '/gen/' || true); \
		if [ -n "$$bad" ]; then echo "gofmt needed on:" >&2; echo "$$bad" >&2; exit 1; fi
	$(MAKE) -C sdk-python lint
	$(MAKE) -C sdk-rust lint

.PHONY: test
test: ## Everything CI runs; fails if it leaves a process, socket or temp file behind
	# YURT_STRICT_TMPDIR=0 lists leftover TMPDIR files without failing (to hunt
	# producers); leftover processes always fail.
	./scripts/no-leftovers.py $(MAKE) test-run

.PHONY: test-run
test-run: check-generated lint ## `make test` without the leftover check
	python3 scripts/test_no_leftovers.py
	./scripts/check-breaking-guard.sh
	./scripts/check-generated-guard.sh
	./scripts/check-architecture.py
	(cd go && go test ./...)
	(cd conformance && go test ./...)
	./scripts/fuzz.sh --short
	$(MAKE) -C examples/go build test
	$(MAKE) -C sdk-python test
	$(MAKE) -C sdk-rust test
	CONFORMANCE_CARGO_PROFILE=dev $(MAKE) conformance
	$(MAKE) scaffold-check
	(cd bench && go test ./...)
	./scripts/bench.sh --smoke

.PHONY: build
build: ## Build the yurt host and tools into build/bin, example plugins into build/plugins
	@mkdir -p $(BIN)
	cd go && go build -o $(BIN)/ ./cmd/...
	$(MAKE) -C examples/go build

.PHONY: demo
demo: tools build ## The main job: start `yurt agent -dev`, run tasks through the example drivers with devices reserved
	./scripts/demo.sh

.PHONY: conformance
conformance: tools ## Run yurt-conformance against every example plugin; reports in build/conformance/
	./scripts/conformance.sh

.PHONY: scaffold-check
scaffold-check: tools ## `yurt new` x 6 outside the repo: build, own tests, yurt-conformance plain + AutoMTLS; README code is generated code
	./scripts/scaffold-check.sh

.PHONY: chaos
chaos: ## Fault injection: 100 rounds of kill -9 of the agent or a plugin (ROUNDS=, SEED=)
	./scripts/chaos.sh

.PHONY: fuzz
fuzz: tools ## Fuzz every parser of untrusted bytes (FUZZTIME= per Go target)
	./scripts/fuzz.sh

.PHONY: gpu-check
gpu-check: ## NVIDIA plugin on a real GPU: conformance, fingerprint, stats, reserve; output in build/gpu-check
	$(MAKE) -C examples/rust/nvidia-gpu gpu-check

.PHONY: bench
bench: tools ## Benchmarks across languages: build/bench/{results.json,results.md,chart.svg}, BENCHMARKS.md
	./scripts/bench.sh

.PHONY: clean
clean: ## Remove build outputs (generated code is committed and stays)
	rm -rf build
