# The one test command (README, .ci/run): vet, all tests with the race
# detector on SQLite and PostgreSQL, then every fuzz target for a short while.
FUZZTIME ?= 10s
# Minimising each new input may take the whole FUZZTIME otherwise (60s by
# default), and the exec counter stands still while it runs.
FUZZMINTIME ?= 1s
GO ?= go

.PHONY: test build fuzz bench release crossarch

build:
	$(GO) build -o fuwu ./cmd/fuwu

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...
	$(MAKE) fuzz
	$(MAKE) crossarch

# Static binaries for linux/amd64, arm64 and loong64, version stamped, in
# tarballs with SHA256SUMS, SM3SUMS and CycloneDX SBOMs (dist/release.sh).
release:
	GO=$(GO) ./dist/release.sh

# The release binaries for arm64 and loong64 under qemu-user-static must
# print what the amd64 one prints (dist/smoke.sh); FUWU_REQUIRE_QEMU=1
# makes a missing qemu an error rather than a skip.
crossarch: release
	./dist/smoke.sh

# Each Fuzz* function runs on its own for FUZZTIME. Go 1.26's fuzz
# coordinator can report "context deadline exceeded" when -fuzztime ends
# while a worker is mid-input (golang/go#75804, fixed in Go 1.27): that
# failure, with no failing input written, is reported and not counted.
# Any other failure, or a new file under testdata/fuzz, fails the run.
fuzz:
	@set -e; out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    before=$$(ls $$dir/testdata/fuzz/$$f 2>/dev/null | wc -l); \
	    if $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINTIME) $$pkg >$$out 2>&1; then \
	      cat $$out; continue; \
	    fi; \
	    cat $$out; \
	    after=$$(ls $$dir/testdata/fuzz/$$f 2>/dev/null | wc -l); \
	    if [ "$$before" = "$$after" ] && grep -qx '    context deadline exceeded' $$out && ! grep -q 'Failing input written' $$out; then \
	      echo "fuzz $$f: stopped by the Go fuzz coordinator's deadline race (golang/go#75804), no failing input; not a failure"; \
	    else \
	      exit 1; \
	    fi; \
	  done; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...
