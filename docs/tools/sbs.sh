#!/bin/bash
# Side by side: separate `fuwu serve` processes of several builds, loaded by one
# `fuwu bench`, in alternating rounds; one JSON line per run appended to OUT.
# usage: sbs.sh ROUNDS OUT "v1 v2" "sqlite postgres" RATE DUR
# Build vN as /tmp/fuwu-vN (go build -o /tmp/fuwu-vN ./cmd/fuwu in a worktree at
# that commit); the load generator is /tmp/fuwu-new (GEN=… to change). PostgreSQL:
# a database "sbs" is dropped and created for each run (trust auth on 127.0.0.1).
ROUNDS=${1:-3}; OUT=${2:-/tmp/sbs.jsonl}; VS=${3:-"start new"}; DBS=${4:-"sqlite postgres"}; RATE=${5:-3000}; DUR=${6:-20s}
GEN=${GEN:-/tmp/fuwu-new}
for r in $(seq $ROUNDS); do for v in $VS; do for db in $DBS; do
  D=/tmp/sbs-data-$v-$db; rm -rf $D; mkdir -p $D
  args=(serve --addr 127.0.0.1:18080 --chat-rate 0 --data $D)
  if [ $db = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS sbs" -c "CREATE DATABASE sbs" >/dev/null
    args+=(--db "postgres://postgres@127.0.0.1:5432/sbs?sslmode=disable&application_name=sbs")
  fi
  /tmp/fuwu-$v "${args[@]}" > $D/serve.log 2>&1 &
  PID=$!
  for i in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.2; done
  $GEN bench -url http://127.0.0.1:18080 -c 200 -d 3s -rate $RATE -json >/dev/null 2>&1   # warm-up
  cpu0=$(awk '{print $14+$15}' /proc/$PID/stat)
  pg0=0; [ $db = postgres ] && pg0=$(for p in $(psql -At -h 127.0.0.1 -U postgres -d postgres -c "select pid from pg_stat_activity where application_name='sbs'"); do awk '{print $14+$15}' /proc/$p/stat 2>/dev/null; done | paste -sd+ | bc)
  res=$($GEN bench -url http://127.0.0.1:18080 -c 200 -d $DUR -rate $RATE -json 2>&1)
  cpu1=$(awk '{print $14+$15}' /proc/$PID/stat)
  pg1=0; [ $db = postgres ] && pg1=$(for p in $(psql -At -h 127.0.0.1 -U postgres -d postgres -c "select pid from pg_stat_activity where application_name='sbs'"); do awk '{print $14+$15}' /proc/$p/stat 2>/dev/null; done | paste -sd+ | bc)
  kill $PID; wait $PID 2>/dev/null
  echo "{\"round\":$r,\"build\":\"$v\",\"db\":\"$db\",\"rate\":$RATE,\"server_cpu_ticks\":$((cpu1-cpu0)),\"pg_cpu_ticks\":$((${pg1:-0}-${pg0:-0})),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"at\":\"$(date -u +%H:%M:%S)\",\"bench\":$res}" | tee -a $OUT
done; done; done
