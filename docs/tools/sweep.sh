#!/bin/bash
# Sweep one global threshold of the assistant on the learning sets (issue 20).
# usage: docs/tools/sweep.sh FILE CONST "V1 V2 …"   e.g.
#   docs/tools/sweep.sh internal/assistant/resolve.go closeRatio "0.6 0.7 0.8"
# For each value: set the constant in FILE, build, score every learning set
# with `fuwu eval --json`, print the sums (item top-1 weighted by turns,
# declines, false refusals, questions back). FILE is restored at the end.
# Never-read (held-out) sets are not scored: a threshold is chosen on the
# learning sets only.
set -e
cd "$(dirname "$0")/../.."
F=$1; C=$2; VALS=$3
LEARN="../shared/eval/dev.jsonl ../shared/eval/dev-styles.jsonl internal/assistant/testdata/fresh.jsonl"
for s in probes probes-talk probes-talk-late probes-learn probes-dec probes-night probes-dawn probes-eve probes-dusk probes-noon probes-tide probes-frost probes-snow; do
  LEARN="$LEARN internal/assistant/testdata/$s.jsonl"
done
cp "$F" /tmp/sweep-orig.go
trap 'cp /tmp/sweep-orig.go "$F"' EXIT
for v in $VALS; do
  sed -i -E "s/^(\s*$C\s*=\s*)[0-9.]+/\1$v/" "$F"
  go build -o /tmp/fuwu-sweep ./cmd/fuwu
  for f in $LEARN; do /tmp/fuwu-sweep eval --kb data/kb --cases "$f" --json; done | python3 -c "
import json,sys
t=o=f=c=0.0
for l in sys.stdin:
    d=json.loads(l); t+=d['item_top1']*d['turns']; o+=d['oos_recall']; f+=d['oos_false']; c+=d['clarify_recall']
print('$C=$v  top1·turns %.1f  oos %.2f  false %.3f  clarify %.2f' % (t,o,f,c))"
done
