# The one test command (README, .ci/run): vet, all tests with the race
# detector on SQLite and PostgreSQL, then every fuzz target for a short while.
FUZZTIME ?= 10s
# Minimising each new input may take the whole FUZZTIME otherwise (60s by
# default), and the exec counter stands still while it runs.
FUZZMINTIME ?= 1s
GO ?= go

.PHONY: test build fuzz bench

build:
	$(GO) build -o fuwu ./cmd/fuwu

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz

# Each Fuzz* function runs on its own for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINTIME) $$pkg; \
	  done; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...
