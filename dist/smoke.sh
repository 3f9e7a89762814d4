#!/usr/bin/env bash
# make crossarch: the release binaries for arm64 and loong64 run under
# Debian's qemu-user-static and must print exactly what the amd64 binary
# prints for the same work: import the demo catalogue, search, play the
# development dialogues (the figures, not the timings), check a document
# with planted errors, and book an appointment, look it up and cancel it.
# Without qemu the suite is skipped, unless FUWU_REQUIRE_QEMU=1 (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(pwd)/${DIST:-dist/out}

suite() { # suite LABEL COMMAND... : the outputs to compare, on stdout
  local dir
  dir=$(mktemp -d)
  "$@" version --json | grep -v '"go"\|"platform"'
  "$@" import --data "$dir" data/kb
  "$@" search --data "$dir" 生了孩子怎么上户口
  "$@" search --data "$dir" 营业执照丢了怎么补办 --json
  "$@" eval --kb data/kb --cases data/eval/dev.jsonl | grep -v '_ms'
  "$@" doc check internal/gongwen/testdata/check/planted_notice.txt --json
  # The booking's day and time come from the clock, so it is checked here
  # and reported as one line, not compared. Every reader below reads its
  # input to the end (no grep -q, no awk exit): under pipefail a writer
  # killed by SIGPIPE would fail the suite (exit 141) now and then.
  "$@" booking seed --data "$dir" >/dev/null
  local day slot code
  day=$("$@" booking days HALL-01 FT-001 --data "$dir" | awk 'NR==1{d=$1} END{print d}')
  slot=$("$@" booking slots HALL-01 FT-001 "$day" --data "$dir" | awk '$NF=="free" && $(NF-1)>0 && s=="" {s=$1} END{print s}')
  code=$("$@" booking book HALL-01 FT-001 "$day" "${slot%%-*}" --name 张三 --mobile 13812345678 --data "$dir" | awk '$1=="预约码"{print $2}')
  "$@" booking lookup "$code" --data "$dir" | grep '138\*\*\*\*5678' >/dev/null
  "$@" booking cancel "$code" --data "$dir" >/dev/null
  "$@" booking lookup "$code" --data "$dir" | grep '已取消' >/dev/null
  echo "booking: booked, looked up (mobile masked) and cancelled"
  rm -rf "$dir"
}

declare -A qemu=([arm64]=qemu-aarch64-static [loong64]=qemu-loongarch64-static)
for arch in "${!qemu[@]}"; do
  if ! command -v "${qemu[$arch]}" >/dev/null; then
    if [ "${FUWU_REQUIRE_QEMU:-}" = 1 ]; then
      echo "crossarch: ${qemu[$arch]} not found and FUWU_REQUIRE_QEMU=1 (apt-get install qemu-user-static)" >&2
      exit 1
    fi
    echo "crossarch: ${qemu[$arch]} not found: smoke suite skipped (install qemu-user-static)"
    exit 0
  fi
done

suite "$out/fuwu-linux-amd64" >"$out/smoke-amd64.txt"
grep -q '^booking: booked' "$out/smoke-amd64.txt"
passed=0
failed=0
for arch in arm64 loong64; do
  start=$SECONDS
  if suite "${qemu[$arch]}" "$out/fuwu-linux-$arch" >"$out/smoke-$arch.txt" &&
    diff -u "$out/smoke-amd64.txt" "$out/smoke-$arch.txt"; then
    echo "crossarch: linux/$arch under ${qemu[$arch]}: same output as amd64 ($(wc -l <"$out/smoke-$arch.txt") lines, $((SECONDS - start))s)"
    passed=$((passed + 1))
  else
    echo "crossarch: linux/$arch under ${qemu[$arch]}: FAILED (output in $out/smoke-$arch.txt)"
    failed=$((failed + 1))
  fi
done
echo "crossarch: $passed passed, $failed failed"
[ "$failed" = 0 ]
