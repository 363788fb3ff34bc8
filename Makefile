# dcgw-scan: build, test and demo. `make help` lists the targets.
GO      ?= go
BIN     := bin/dcgw-scan
VERSION ?= 0.1.0-dev
DEMO    := testdata/estates/demo

.PHONY: help build test vet fmt lint golden demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

build: ## build bin/dcgw-scan
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/scan

test: vet ## go vet, then every Go test (the Rego tests run inside them)
	$(GO) test -count=1 ./...

vet: ## go vet and a gofmt check
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt: ## format the Go code
	gofmt -w $$(git ls-files '*.go')

lint: vet ## static checks (go vet + gofmt)

golden: ## rewrite the golden files from the current code (review the diff!)
	$(GO) test ./cmd/scan/ ./sarif/ ./report/ ./snapshot/ -update

demo: build ## scan the bundled example estate (findings are expected: exit 1 is the demo working)
	@./$(BIN) check $(DEMO)/snapshot.json --config $(DEMO)/dcgw-scan.yaml; rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "(exit 1: findings at or above --fail-on high, as this example estate is meant to show)"; exit 0; fi; \
	  exit $$rc

bench: ## benchmarks: rule evaluation vs JSON parsing at 1k and 10k networks
	$(GO) test -run '^$$' -bench 'Evaluate|JSONUnmarshal|Parse' -benchmem -count 1 ./policies/ ./snapshot/ | tee bench.txt

clean: ## remove build output
	rm -rf bin bench.txt
