#!/usr/bin/env bash
# Fuzz smoke: runs every cargo-fuzz target for a short time (default 10 s each) on a
# scratch copy of its checked-in corpus. Needs a nightly toolchain and cargo-fuzz;
# without them it prints "fuzz smoke SKIPPED: ..." and exits 0 (the corpus replay
# test in tests/tests/fuzz_corpus.rs still runs on stable).
#
#   fuzz/smoke.sh              # every target, 10 s each
#   FUZZ_SECONDS=60 fuzz/smoke.sh kubeconfig token
#
# A crash fails the script (exit 1) and leaves the input in fuzz/artifacts/<target>/;
# minimize it (cargo +nightly fuzz tmin <target> <file>), fix, and check it in as
# fuzz/corpus/<target>/crash-<what> so the replay test keeps it fixed.
set -uo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-10}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz smoke SKIPPED: no nightly/cargo-fuzz (no nightly toolchain)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke SKIPPED: no nightly/cargo-fuzz (cargo install cargo-fuzz)"
  exit 0
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "== fuzz smoke: building ${#targets[@]} targets"
cargo +nightly fuzz build || { echo "fuzz smoke FAILED: build"; exit 1; }

failed=()
for target in "${targets[@]}"; do
  scratch="$(mktemp -d)"
  # Scratch first: new inputs land there, the checked-in corpus stays as it is.
  log="$scratch/log"
  if cargo +nightly fuzz run "$target" "$scratch" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      >"$log" 2>&1; then
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')"
    echo "fuzz smoke $target: ok (${runs:-?} executions in ${seconds} s)"
  else
    echo "fuzz smoke $target: FAILED"
    tail -n 40 "$log"
    failed+=("$target")
  fi
  rm -rf "$scratch"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz smoke FAILED: ${failed[*]} (inputs in fuzz/artifacts/)"
  exit 1
fi
echo "fuzz smoke passed: ${targets[*]}"
