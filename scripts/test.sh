#!/usr/bin/env bash
# Builds everything and runs the whole test suite:
#   1. release build: unit and end-to-end tests (real peers on loopback);
#   2. web UI: Vitest unit tests, then the browser end to end (Chromium) against the release server,
#      then the C++ end-to-end tests labelled "browser" (the web app's softphone with real phones);
#   3. sanitizer build (ASan + UBSan): unit tests (the C++ ones);
#   4. libFuzzer build (clang): every fuzz target for a short run.
# Ends with one line "N passed, M failed" and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1

JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
LOGS=$(mktemp -d)
passed=0
failed=0
status=0

step() { printf '\n=== %s ===\n' "$*"; }

# Runs ctest, echoing its output, and adds its counts to the totals.
run_ctest() {
    local log="$LOGS/ctest-$RANDOM.log"
    ctest "$@" --output-on-failure -j"$JOBS" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
    if [[ -z "$line" ]]; then
        echo "test.sh: ctest printed no summary"
        failed=$((failed + 1))
        status=1
        return
    fi
    local nfailed ntotal
    nfailed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    ntotal=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + ntotal - nfailed))
    failed=$((failed + nfailed))
    [[ $rc -eq 0 ]] || status=1
}

build() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja "$@" > "$LOGS/cmake.log" 2>&1 || { cat "$LOGS/cmake.log"; return 1; }
    ninja -C "$dir" -j"$JOBS"
}

step "release build"
if build build -DCMAKE_BUILD_TYPE=RelWithDebInfo; then
    step "release: unit and end-to-end tests"
    run_ctest --test-dir build -LE browser
else
    echo "test.sh: release build failed"; failed=$((failed + 1)); status=1
fi

step "web UI: build, unit tests (Vitest), end to end in Chromium against the release server"
# Counts what the runners report: Vitest's "Tests  N passed", the browser run's "e2e: N steps".
run_web() {
    local log="$LOGS/web-$RANDOM.log"
    NO_COLOR=1 FORCE_COLOR=0 "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    sed -i -E 's/\x1b\[[0-9;]*m//g' "$log" # in case a runner colours anyway
    local ok
    ok=$(sed -n -E 's/.*Tests +([0-9]+) passed.*/\1/p; s/^e2e: ([0-9]+) steps passed.*/\1/p' "$log" |
        tail -1)
    local bad
    bad=$(sed -n -E 's/.*Tests +.*\b([0-9]+) failed.*/\1/p' "$log" | tail -1)
    passed=$((passed + ${ok:-0}))
    if ((rc != 0)); then
        failed=$((failed + ${bad:-1})); status=1
        echo "test.sh: $* failed"
    fi
}
if npm --prefix web ci --no-audit --no-fund > "$LOGS/npm-ci.log" 2>&1; then
    run_web npm --prefix web test
    if [[ -x build/suflyor ]]; then
        run_web npm --prefix web run e2e
        run_web npm --prefix web run e2e:softphone
        step "release: end-to-end tests with the web app in Chromium (label browser)"
        run_ctest --test-dir build -L browser
    else
        echo "test.sh: no build/suflyor for the web end-to-end run"; failed=$((failed + 1)); status=1
    fi
else
    cat "$LOGS/npm-ci.log"
    echo "test.sh: npm ci failed"; failed=$((failed + 1)); status=1
fi

step "sanitizer build (ASan + UBSan)"
if build build-asan -DCMAKE_BUILD_TYPE=Debug -DSUFLYOR_SANITIZE=ON -DSUFLYOR_E2E=OFF -DSUFLYOR_BENCH=OFF; then
    step "sanitizers: unit tests"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_ctest --test-dir build-asan -L unit
else
    echo "test.sh: sanitizer build failed"; failed=$((failed + 1)); status=1
fi

step "libFuzzer build (clang)"
if CC=clang CXX=clang++ build build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUFLYOR_FUZZ=ON; then
    for target in build-fuzz/fuzz/fuzz_*; do
        [[ -x "$target" ]] || continue
        name=$(basename "$target")
        corpus="$LOGS/corpus-$name"
        mkdir -p "$corpus"
        [[ -d "fuzz/corpus/$name" ]] && cp -r "fuzz/corpus/$name/." "$corpus/"
        if "$target" "$corpus" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
            > "$LOGS/$name.log" 2>&1; then
            echo "fuzz: $name ran ${FUZZ_SECONDS}s without a crash ($(grep -c . "$LOGS/$name.log") log lines)"
            passed=$((passed + 1))
        else
            echo "fuzz: $name FAILED"; tail -40 "$LOGS/$name.log"
            failed=$((failed + 1)); status=1
        fi
    done
else
    echo "test.sh: fuzz build failed"; failed=$((failed + 1)); status=1
fi

rm -rf "$LOGS"
echo
echo "$passed passed, $failed failed"
exit $status
