# dcgw-scan: build, test and demo. `make help` lists the targets.
GO      ?= go
BIN     := bin/dcgw-scan
VERSION ?= 0.1.0-dev
DEMO    := testdata/estates/demo

.PHONY: help build test vet fmt lint regal tree golden demo bench bench-rules bench-mem bench-collect clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/dcgw-scan
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/scan

test: vet ## go vet, then every Go test (the Rego tests run inside them)
	$(GO) test -count=1 ./...

vet: ## go vet and a gofmt check
	$(GO) vet ./...
	@out=$$(gofmt -l .); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt: ## format the Go code
	gofmt -w .

REGAL := bin/regal

$(REGAL): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o ../$(REGAL) github.com/open-policy-agent/regal

lint: vet regal tree ## go vet, gofmt, Regal on the Rego rules, and the tree checks

regal: $(REGAL) ## Regal (pinned in tools/go.mod) on the Rego rules
	./$(REGAL) lint --format pretty policies/

tree: ## fail on an untidy go.mod or a tracked file over 1 MB outside testdata/
	$(GO) mod tidy -diff
	@big=$$(git ls-files -z | grep -zv '^testdata/\|/testdata/' | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$$1 > 1048576 {print}'); \
	  if [ -n "$$big" ]; then echo "tracked files over 1 MB outside testdata/ (build output? see README, Development):"; echo "$$big"; exit 1; fi

golden: ## rewrite the golden files from the current code (review the diff!)
	$(GO) test ./cmd/scan/ ./sarif/ ./report/ ./snapshot/ -update

demo: build ## scan the bundled example estate (findings are expected: exit 1 is the demo working)
	@./$(BIN) check $(DEMO)/snapshot.json --config $(DEMO)/dcgw-scan.yaml; rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "(exit 1: findings at or above --fail-on high, as this example estate is meant to show)"; exit 0; fi; \
	  exit $$rc

BENCH_COUNT ?= 1
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

bench: ## check vs JSON decoding at 1k and 10k networks, ratios from one run (BENCH_COUNT=6 for benchstat)
	$(GO) test -run '^$$' -bench '^Benchmark(Evaluate|JSONUnmarshal)$$' -benchmem -count $(BENCH_COUNT) -timeout 60m ./policies/ | tee bench.txt
	$(GO) test -run '^$$' -bench '^Benchmark(Parse|JSONUnmarshal)$$' -benchmem -count $(BENCH_COUNT) -timeout 60m ./snapshot/ | tee bench-snapshot.txt
	$(GO) run $(BENCHSTAT) bench.txt bench-snapshot.txt

bench-rules: ## each built-in rule alone at 1k and 10k networks (finds rules that grow faster than the estate)
	$(GO) test -run '^$$' -bench '^BenchmarkRule$$' -benchtime 1x -benchmem -timeout 60m ./policies/

bench-mem: ## peak memory of loading and checking a 10k-network estate; fails at >= 1 GiB
	DCGW_BENCH_MEM=1 $(GO) test -count=1 -run '^TestPeakMemory10k$$' -v -timeout 30m ./cmd/scan/

bench-collect: ## AWS collection with 50 ms per call: calls per needed call and wall time over the critical path
	$(GO) test -run '^$$' -bench '^BenchmarkCollect' -benchtime 3x -count $(BENCH_COUNT) ./collectors/aws/ | tee bench-collect.txt

clean: ## remove build output
	rm -rf bin bench.txt bench-snapshot.txt bench-collect.txt
