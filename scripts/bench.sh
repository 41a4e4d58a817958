#!/usr/bin/env bash
# copydesk's end-to-end benchmark: generates seed-shaped corpora (10k and
# 100k articles by default) in a temporary folder and times, in the same run:
#   bare  - the baseline: read, split, parse and schema-validate every file
#           on all cores, nothing else (crates/copydesk_bench/src/bin/bare-loop.rs)
#   cold  - `copydesk check` with no cache
#   warm  - the same again, with the cache the cold run wrote
#   five  - 5 named files in the corpus, warm (what pre-commit does)
#   hook  - the same five in a commit hook, the corpus tracked by git
# and, at FINDINGS articles (default 20000; several sizes may be given, 0
# skips it), a legacy corpus where every file carries a finding (one title
# shared by all):
#   clean     - cold, the corpus as generated
#   findings  - cold, every title the same (a duplicate-title warning each)
#   find-full - the same in the default (full) format, with snippets
#   warm-find - the same again on the cache the last run wrote
# and prints wall time, files/s and peak memory for each, and the ratios the
# performance issue targets. Each run is repeated (RUNS, default 3): the
# median wall time and the highest peak memory are shown, so one noisy
# run on a shared machine does not decide a ratio. The runs a ratio
# compares are taken in rounds (bare, cold, warm, five, hook; clean,
# findings), and
# the ratio shown is the median of each round's own ratio, with the
# lowest and highest: a machine whose speed drifts over minutes moves
# both sides of a round alike.
# Usage: [RUNS=n] scripts/bench.sh [SIZE...]
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

# The release profile is what users get (release binaries, the wheel, the
# image: stripped, LTO, one codegen unit), so it is what is measured. To
# profile, build `--profile profiling` (the same code with line tables and
# symbols) and run perf on target/profiling/copydesk.
cargo build --release --quiet -p copydesk-cli -p copydesk_bench
bin="${CARGO_TARGET_DIR:-$PWD/target}/release"
command -v /usr/bin/time >/dev/null || { echo "bench.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

calc() { awk "BEGIN { print $1 }"; }

runs=${RUNS:-3}

# Runs a command in the corpus folder $runs times, running $before (if
# set) before each; prints "median_seconds max_peak_kb".
measure() {
  : > "$work/times.txt"
  for _ in $(seq "$runs"); do
    [ -z "${before:-}" ] || eval "$before"
    once "$work/times.txt" "$@"
  done
  summary "$work/times.txt"
}

# Runs a command once, appending "seconds peak_kb" to the file $1.
once() {
  local to=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/time.txt" >> "$to"
}

# "median_seconds max_peak_kb" of the runs in file $1.
summary() {
  sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { print t[int((NR + 1) / 2)], m }'
}

# "median lowest highest" of the ratios of the runs in file $2 to those in
# file $1, line by line (one line per round).
paired() {
  paste -d' ' "$1" "$2" | awk '{ print $3 / ($1 + 0.0001) }' | sort -n |
    awk '{ r[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", r[int((NR + 1) / 2)], r[1], r[NR] }'
}

printf '%-8s %-6s %9s %12s %10s\n' "files" "run" "wall (s)" "files/s" "peak (MB)"
for n in "${sizes[@]}"; do
  dir="$work/c$n"
  mkdir -p "$dir"
  "$bin/gen-corpus" "$dir" "$n" 42 0 2>/dev/null
  printf 'content-roots = ["content"]\n' > "$dir/copydesk.toml"
  # A real corpus was not written in the last seconds; files that were are
  # re-hashed by design (their mtime may not have ticked yet).
  find "$dir/content" -type f -exec touch -d '1 hour ago' {} +
  sleep 2
  cd "$dir"
  # Warm the page cache so every run reads from memory alike.
  "$bin/bare-loop" content >/dev/null
  # Five files spread over the corpus, as pre-commit names staged ones.
  mapfile -t five < <(find content -name '*.md' | sort | awk 'NR % 997 == 1' | head -n 5)
  # The corpus tracked by git, for the hook runs (git names its index in
  # GIT_INDEX_FILE: the articles it vouches for are not stat-ed).
  git init -q . && git add content
  # Rounds of bare, cold, warm, five and hook (all on the cache the cold
  # run just wrote), so that every ratio compares runs minutes apart at
  # most.
  for run in bare cold warm five hook; do : > "$work/$run.txt"; done
  for _ in $(seq "$runs"); do
    once "$work/bare.txt" "$bin/bare-loop" content
    rm -rf .copydesk_cache
    once "$work/cold.txt" "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z
    once "$work/warm.txt" "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z
    once "$work/five.txt" "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z "${five[@]}"
    once "$work/hook.txt" env GIT_INDEX_FILE=.git/index "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z "${five[@]}"
  done
  for run in bare cold warm five hook; do
    read -r "${run}_s" "${run}_kb" < <(summary "$work/$run.txt")
  done
  cold_bare=$(paired "$work/bare.txt" "$work/cold.txt")
  warm_cold=$(paired "$work/cold.txt" "$work/warm.txt")
  five_cold=$(paired "$work/cold.txt" "$work/five.txt")
  hook_cold=$(paired "$work/cold.txt" "$work/hook.txt")
  cd - >/dev/null
  for run in bare cold warm five hook; do
    s_var="${run}_s"; kb_var="${run}_kb"
    s=${!s_var}; kb=${!kb_var}
    files=$n; [ "$run" = five ] || [ "$run" = hook ] && files=5
    printf '%-8s %-6s %9.2f %12.0f %10.1f\n' "$n" "$run" "$s" "$(calc "$files / ($s + 0.0001)")" "$(calc "$kb / 1024")"
  done
  printf '%-8s ratios: cold/bare %s (target <= 1.0), warm/cold %s (<= 0.15), five/cold %s, hook/cold %s (<= 0.1), cold peak %.0f MB, warm peak %.0f MB (<= cold peak)\n' \
    "$n" "$cold_bare" "$warm_cold" "$five_cold" "$hook_cold" \
    "$(calc "$cold_kb / 1024")" "$(calc "$warm_kb / 1024")"
done

# FINDINGS may name several sizes ("20000 100000"); 0 skips the case.
for findings in ${FINDINGS:-20000}; do
  [ "$findings" -gt 0 ] || continue
  clean="$work/f$findings-clean"
  dir="$work/f$findings"
  mkdir -p "$clean"
  "$bin/gen-corpus" "$clean" "$findings" 7 0 2>/dev/null
  printf 'content-roots = ["content"]\n' > "$clean/copydesk.toml"
  cp -r "$clean" "$dir"
  cd "$dir"
  # One title for every article: "Daily market update" is a real pattern.
  find content -name '*.md' -print0 | xargs -0 sed -i -E '0,/^title:/s/^title:.*/title: Daily market update/'
  find "$clean/content" "$dir/content" -type f -exec touch -d '1 hour ago' {} +
  sleep 2
  # Rounds of the clean corpus and the same with a finding in every file.
  : > "$work/clean.txt"; : > "$work/find.txt"
  for _ in $(seq "$runs"); do
    (cd "$clean" && rm -rf .copydesk_cache && once "$work/clean.txt" "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z)
    rm -rf .copydesk_cache
    once "$work/find.txt" "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z
  done
  read -r clean_s clean_kb < <(summary "$work/clean.txt")
  read -r find_s find_kb < <(summary "$work/find.txt")
  find_clean=$(paired "$work/clean.txt" "$work/find.txt")
  before='rm -rf .copydesk_cache'
  # The default format, whose report quotes a snippet of each file named.
  read -r full_s full_kb < <(measure "$bin/copydesk" check --now 2026-11-22T00:00:00Z)
  before=''
  read -r warmf_s warmf_kb < <(measure "$bin/copydesk" check --format concise --now 2026-11-22T00:00:00Z)
  cd - >/dev/null
  printf '%-8s %-9s %9.2f %10.1f\n' "$findings" clean "$clean_s" "$(calc "$clean_kb / 1024")"
  printf '%-8s %-9s %9.2f %10.1f\n' "$findings" findings "$find_s" "$(calc "$find_kb / 1024")"
  printf '%-8s %-9s %9.2f %10.1f\n' "$findings" find-full "$full_s" "$(calc "$full_kb / 1024")"
  printf '%-8s %-9s %9.2f %10.1f\n' "$findings" warm-find "$warmf_s" "$(calc "$warmf_kb / 1024")"
  target=150; [ "$findings" -le 20000 ] || target=200
  printf '%-8s ratios: findings/clean %s (target <= 1.5), findings peak %.0f MB, full %.0f MB, warm %.0f MB (<= %d)\n' \
    "$findings" "$find_clean" "$(calc "$find_kb / 1024")" \
    "$(calc "$full_kb / 1024")" "$(calc "$warmf_kb / 1024")" "$target"
  rm -rf "$dir" "$clean"
done
