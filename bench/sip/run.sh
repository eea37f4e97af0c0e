#!/usr/bin/env bash
# SIP benchmark of the B2BUA with real sipp on loopback: a trunk (sipp UAC on 127.0.0.2) calls a
# DID at a fixed rate; the server routes each call to a registered operator (--uas N sipp UAS
# instances answer, each for its own slice of the operators), anchors both legs in the media engine, and bridges them. Reports failures,
# INVITE->200 and INVITE->180 times through the B2BUA, calls held concurrently, and the server's
# CPU per call. See docs/performance.md, section "SIP".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCEN="$HERE/scenarios"

usage() {
    cat <<'EOF'
Usage: bench/sip/run.sh [options]

Runs, for each rate, one bounded step: a fresh `suflyor serve` (temp config, copy of a template
database with N operators in project "Bench"), REGISTER of all operators with digest, each slice of
them from the port of its sipp UAS (--uas instances) that then answers their calls, and a sipp UAC on 127.0.0.2 calling the DID
at R calls/s for D seconds with calls held H ms. Loopback (127.0.0.0/8) only.
Each step runs under `flock /tmp/suflyor-bench.lock` and starts only when the 1-minute load
average is below --max-load (polled every 30 s, up to --load-wait seconds, then gives up).

Options:
  --binary PATH     suflyor binary (default: /work/main/build/suflyor; copied per run)
  --operators N     operators to create and register (default 1000)
  --uas N           sipp UAS instances answering, each for 1/N of the operators (default 1)
  --rates "R ..."   call rates to step through, calls/s (default "50 100 200 300")
  --duration D      seconds of calls started per step (default 30)
  --hold H          call length after answer, ms (default 3000)
  --jobs J          parallel admin CLI processes when building the template (default 2)
  --template DIR    reuse/keep the template database in DIR (default: a temp dir, removed)
  --out DIR         where results go (default: bench/sip/results/<timestamp>)
  --max-load L      start a step only below this 1-minute load average (default 1.5)
  --load-wait S     give up after waiting S seconds for the load (default 1200)
  --stop-on-fail    stop stepping up after the first step with >= 0.1 % failures
  --keep            keep the per-step temp directories (sipp logs, server log)
  --rtp             carry audio: the trunk streams a 400 Hz PCMU tone on every call (sipp
                    rtp_stream, its own port per call) and each UAS echoes it back (-rtp_echo),
                    so every call's RTP runs through the media engine both ways
  --recordings      with --rtp: after each step, check the recordings (bench/sip/recordings.py):
                    the share of 20 ms frames of digital silence inside the calls (audio the
                    recorder lost), the calls the server marked incomplete, the recorder
                    thread's CPU (issue 19, fault 1)
  --pin             the server on CPU 0, sipp and the tools on CPU 1 (as issue 19 measured)
  --perf            also record a call-graph profile of the server (perf record -g, 10 s from
                    the 5th second of calls) into OUT/r<rate>.perf.data + a text report
  -h, --help        this text

Output: one line per step on stdout and in OUT/summary.tsv; sipp stat/rtt CSVs per step in OUT.
EOF
}

# Defaults; the inner __step/__template invocations get the values through the environment.
: "${BINARY:=/work/main/build/suflyor}" "${OPERATORS:=1000}" "${DURATION:=30}" "${HOLD:=3000}"
: "${JOBS:=2}" "${KEEP:=0}" "${DID:=74950000001}" "${PERF:=0}" "${UAS:=1}" "${RTP:=0}"
: "${RECORDINGS:=0}" "${PIN:=0}"
RATES="50 100 200 300"
TEMPLATE=""
OUT=""
MAX_LOAD=1.5
LOAD_WAIT=1200
STOP_ON_FAIL=0
LOCK=/tmp/suflyor-bench.lock

if [[ "${1:-}" == "__step" || "${1:-}" == "__template" ]]; then
    MODE="$1"
    shift
else
    MODE=main
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --binary) BINARY="$2"; shift 2 ;;
        --operators) OPERATORS="$2"; shift 2 ;;
        --uas) UAS="$2"; shift 2 ;;
        --rates) RATES="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --hold) HOLD="$2"; shift 2 ;;
        --jobs) JOBS="$2"; shift 2 ;;
        --template) TEMPLATE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --max-load) MAX_LOAD="$2"; shift 2 ;;
        --load-wait) LOAD_WAIT="$2"; shift 2 ;;
        --stop-on-fail) STOP_ON_FAIL=1; shift ;;
        --keep) KEEP=1; shift ;;
        --perf) PERF=1; shift ;;
        --rtp) RTP=1; shift ;;
        --recordings) RECORDINGS=1; shift ;;
        --pin) PIN=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
        esac
    done
fi

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

free_udp_port() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1])
EOF
}

# True when something listens on UDP 127.0.0.1:$1 (the server is up).
port_bound() { ! python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', $1))" 2>/dev/null; }

# Writes the server's config for work dir $1 (database at $1/suflyor.db), SIP on port $2 (0: any).
write_config() {
    local dir="$1" port="${2:-0}"
    cat >"$dir/suflyor.toml" <<EOF
[storage]
path = "$dir/suflyor.db"
[security]
password_cost = "minimal"
[bootstrap]
creator_password = "creator-password"
creator_sip_password = "creator-sip-password"
[sip]
listen = "127.0.0.1:$port"
transports = ["udp"]
[media]
workers = 1
bind_address = "127.0.0.1"
advertised_address = "127.0.0.1"
rtp_port_min = 20000
rtp_port_max = 59999
rtp_timeout_seconds = 120
recording_dir = "$dir/recordings"
[log]
level = "${SERVER_LOG_LEVEL:-warn}"
[[trunks]]
name = "bench-provider"
peer = "127.0.0.2:5060"
sources = ["127.0.0.2"]
[trunks.dids]
"$DID" = "Bench"
EOF
}

# Starts `suflyor serve` for dir $1 in the background (log level warn, SIP on a free port);
# sets SERVER_PID and SIP_PORT.
start_server() {
    local dir="$1"
    SIP_PORT=$(free_udp_port 127.0.0.1)
    write_config "$dir" "$SIP_PORT"
    local pin=()
    [[ $PIN -eq 1 ]] && pin=(taskset -c 0)
    "${pin[@]}" "$dir/suflyor" --config "$dir/suflyor.toml" serve >"$dir/serve.out" 2>"$dir/serve.err" &
    SERVER_PID=$!
    local i
    for i in $(seq 1 300); do
        if port_bound "$SIP_PORT"; then break; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            cat "$dir/serve.err" >&2
            return 1
        fi
        sleep 0.1
    done
}

stop_pid() {
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    local i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# utime+stime of a process (or one of its threads) in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "$1" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- template database
build_template() {
    local dir="$1"
    mkdir -p "$dir"
    cp "$BINARY" "$dir/suflyor"
    write_config "$dir"
    local t0 t1
    t0=$(date +%s.%N)
    start_server "$dir" # first start creates the account
    stop_pid "$SERVER_PID"
    local admin=("$dir/suflyor" --config "$dir/suflyor.toml" admin)
    "${admin[@]}" project create --account 1 --name Bench >/dev/null
    : >"$dir/users.csv"
    echo "SEQUENTIAL" >"$dir/users.csv"
    local i
    for i in $(seq -f "%05g" 1 "$OPERATORS"); do
        # sipp expands [authentication ...] given whole in a field, not fields inside it.
        echo "op$i;sip-op$i;[authentication username=op$i password=sip-op$i];" >>"$dir/users.csv"
    done
    export ADMIN_BIN="$dir/suflyor" ADMIN_CFG="$dir/suflyor.toml"
    seq -f "%05g" 1 "$OPERATORS" | xargs -P "$JOBS" -I{} sh -c \
        '"$ADMIN_BIN" --config "$ADMIN_CFG" admin user create --account 1 --name "Op {}" --login op{} --role operator --password pw-op{} --sip-password sip-op{} >/dev/null'
    t1=$(date +%s.%N)
    seq -f "%05g" 1 "$OPERATORS" | xargs -P "$JOBS" -I{} sh -c \
        '"$ADMIN_BIN" --config "$ADMIN_CFG" admin project add-operator --account 1 --project Bench --login op{} >/dev/null'
    local t2
    t2=$(date +%s.%N)
    local users
    users=$(sqlite3 "$dir/suflyor.db" "select count(*) from users" 2>/dev/null || echo "?")
    echo "$OPERATORS" >"$dir/operators"
    python3 -c "print(f'template: {int($OPERATORS)} operators; admin user create {($t1-$t0):.1f} s, project add-operator {($t2-$t1):.1f} s (jobs=$JOBS); users in db: $users')" |
        tee "$dir/template.txt" >&2
}

# ---------------------------------------------------------------- one step
run_step() {
    local rate="$1" tdir="$2" outdir="$3"
    WORK=$(mktemp -d /tmp/suflyor-sipbench.XXXXXX)
    UAS_PIDS=() UAC_PID=""
    SERVER_PID=""
    cleanup_step() {
        [[ -n "$UAC_PID" ]] && stop_pid "$UAC_PID"
        local p
        for p in "${UAS_PIDS[@]}"; do stop_pid "$p"; done
        stop_pid "${SERVER_PID:-}"
        if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    }
    trap cleanup_step EXIT
    # The binary under test is copied per step: a kept --template serves several binaries.
    cp "$BINARY" "$WORK/suflyor"
    cp "$tdir/suflyor.db" "$tdir/users.csv" "$WORK/"
    local load_start
    load_start=$(load1)
    start_server "$WORK"
    # The generators (sipp, this script's tools) keep off the server's core.
    [[ $PIN -eq 1 ]] && taskset -p -c 1 $$ >/dev/null
    # 1. The operators are split into UAS slices (contiguous, sipp's SEQUENTIAL csv each); every
    #    slice registers from the port of its UAS (the B2BUA calls a device on its flow), the
    #    slices in parallel at 500 REGISTER/s in all.
    local r0 r1 i reg_rate=$(((500 + UAS - 1) / UAS)) per=$(((OPERATORS + UAS - 1) / UAS))
    local uas_ports=() reg_pids=()
    r0=$(date +%s.%N)
    for ((i = 1; i <= UAS; i++)); do
        local udir="$WORK/uas$i" first=$(((i - 1) * per + 1)) n
        mkdir -p "$udir"
        echo "SEQUENTIAL" >"$udir/users.csv"
        # Line 1 of users.csv is its SEQUENTIAL header.
        sed -n "$((first + 1)),$((first + per))p" "$WORK/users.csv" >>"$udir/users.csv"
        n=$(($(wc -l <"$udir/users.csv") - 1))
        ((n > 0)) || continue
        uas_ports+=("$(free_udp_port 127.0.0.1)")
        (cd "$udir" && timeout 80 sipp -sf "$SCEN/register.xml" -inf "$udir/users.csv" \
            -i 127.0.0.1 -p "${uas_ports[-1]}" -m "$n" -r "$reg_rate" -l 200 \
            -timeout 75s -timeout_error -nostdin -trace_err -trace_stat -stf reg_stat.csv \
            "127.0.0.1:$SIP_PORT" >reg.out 2>&1) &
        reg_pids+=($!)
    done
    for i in "${!reg_pids[@]}"; do
        wait "${reg_pids[$i]}" || {
            log "registration of slice $((i + 1)) failed (see $WORK/uas$((i + 1))/reg.out, *errors.log)"
            tail -5 "$WORK/uas$((i + 1))/reg.out" >&2 || true
        }
    done
    r1=$(date +%s.%N)
    local reg_ok=0 ok
    for ((i = 1; i <= ${#uas_ports[@]}; i++)); do
        ok=$(python3 "$HERE/sipp_stats.py" last "$WORK/uas$i/reg_stat.csv" SuccessfulCall\(C\) 2>/dev/null || echo 0)
        reg_ok=$((reg_ok + ok))
    done

    # 2. Each UAS answers for its slice of the operators, on the port they registered from.
    for ((i = 1; i <= ${#uas_ports[@]}; i++)); do
        local echo=()
        [[ $RTP -eq 1 ]] && echo=(-rtp_echo)
        (cd "$WORK/uas$i" && exec sipp -sf "$SCEN/uas_answer.xml" -i 127.0.0.1 -p "${uas_ports[$((i - 1))]}" \
            -mi 127.0.0.1 -mp "$(free_udp_port 127.0.0.1)" "${echo[@]}" -nostdin -trace_err \
            -trace_stat -stf uas_stat.csv -fd 1 >uas.out 2>&1) &
        UAS_PIDS+=($!)
    done
    sleep 1

    # 3. The trunk calls the DID at the rate, D seconds of calls, each held H ms.
    local calls=$((rate * DURATION))
    local hold_s=$(((HOLD + 999) / 1000))
    local limit=$((rate * (hold_s + 2) + 200))
    local ticks_hz
    ticks_hz=$(getconf CLK_TCK)
    local c0 m0 w0 c1 m1 w1 rec0 rec1 rec_task
    rec_task=$(grep -lx suflyor-rec /proc/$SERVER_PID/task/*/comm 2>/dev/null | head -1 || true)
    rec_task=${rec_task%/comm}
    rec0=$(cpu_ticks "$rec_task/stat")
    c0=$(cpu_ticks "/proc/$SERVER_PID/stat")
    m0=$(cpu_ticks "/proc/$SERVER_PID/task/$SERVER_PID/stat")
    w0=$(date +%s.%N)
    local uac_scenario="$SCEN/uac_call.xml"
    if [[ $RTP -eq 1 ]]; then
        uac_scenario="$SCEN/uac_call_rtp.xml"
        # 400 Hz: its period divides 20 ms, so sipp's few distinct packets still carry a clean tone.
        sox -n -r 8000 -c 1 -e u-law -b 8 "$WORK/tone.wav" synth 1 sine 400 vol 0.5
    fi
    (cd "$WORK" && exec timeout $((DURATION + hold_s + 40)) sipp -sf "$uac_scenario" \
        -s "$DID" -i 127.0.0.2 -p "$(free_udp_port 127.0.0.2)" -mi 127.0.0.2 \
        -mp "$(free_udp_port 127.0.0.2)" -r "$rate" -rp 1000 -m "$calls" -l "$limit" -d "$HOLD" \
        -timeout $((DURATION + hold_s + 30))s -nostdin -trace_err -trace_stat -stf uac_stat.csv \
        -fd 1 -trace_rtt -rtt_freq 1 -trace_screen \
        "127.0.0.1:$SIP_PORT" >uac.out 2>&1) &
    UAC_PID=$!
    local perf_pid=""
    if [[ $PERF -eq 1 ]]; then
        mkdir -p "$outdir"
        (sleep 5 && exec perf record -F 499 -g -p "$SERVER_PID" -o "$outdir/r${rate}.perf.data" \
            -- sleep 10 >/dev/null 2>&1) &
        perf_pid=$!
    fi
    # Sample what is held while the calls run: server threads, anchored calls (UAC's current).
    # Open descriptors of the server: each anchored leg holds an RTP and an RTCP socket.
    local peak_threads=0 peak_fds=0 base_fds n
    base_fds=$(ls "/proc/$SERVER_PID/fd" | wc -l)
    while kill -0 "$UAC_PID" 2>/dev/null; do
        n=$(ls "/proc/$SERVER_PID/task" 2>/dev/null | wc -l)
        ((n > peak_threads)) && peak_threads=$n
        n=$(ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l)
        ((n > peak_fds)) && peak_fds=$n
        sleep 0.5
    done
    wait "$UAC_PID" || true
    [[ -n "$perf_pid" ]] && wait "$perf_pid" || true
    UAC_PID=""
    c1=$(cpu_ticks "/proc/$SERVER_PID/stat")
    m1=$(cpu_ticks "/proc/$SERVER_PID/task/$SERVER_PID/stat")
    rec1=$(cpu_ticks "$rec_task/stat")
    w1=$(date +%s.%N)
    local rss_kib
    rss_kib=$(awk '/VmHWM/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
    local load_end
    load_end=$(load1)
    sleep 1
    local recordings=() recorder_cpu=()
    if [[ $RTP -eq 1 && $RECORDINGS -eq 1 ]]; then
        # Stopped first: the recordings still open are finalized and their calls marked.
        stop_pid "$SERVER_PID"
        SERVER_PID=""
        recordings=(--recordings "$(python3 "$HERE/recordings.py" "$WORK/recordings" "$WORK/suflyor.db")")
        [[ -n "$rec_task" ]] && recorder_cpu=(--recorder-cpu \
            "$(python3 -c "print(f'{100.0 * ($rec1 - $rec0) / $ticks_hz / ($w1 - $w0):.1f}')")")
    fi

    mkdir -p "$outdir"
    local tag="r${rate}"
    cp "$WORK/uac_stat.csv" "$outdir/${tag}_uac_stat.csv" 2>/dev/null || true
    cp "$WORK"/uac_call_*_rtt.csv "$outdir/${tag}_rtt.csv" 2>/dev/null || true
    cp "$WORK"/uac_call_*_screen.log "$outdir/${tag}_uac_screen.log" 2>/dev/null || true
    for ((i = 1; i <= ${#uas_ports[@]}; i++)); do
        cp "$WORK/uas$i/uas_stat.csv" "$outdir/${tag}_uas${i}_stat.csv" 2>/dev/null || true
        for f in "$WORK/uas$i"/*errors.log; do
            [[ -f "$f" ]] && tail -c 20000 "$f" >"$outdir/${tag}_uas${i}_$(basename "$f" | sed 's/_[0-9]*_errors/_errors/')"
        done
    done
    cp "$WORK/serve.err" "$outdir/${tag}_serve.err" 2>/dev/null || true
    for f in "$WORK"/*errors.log; do
        [[ -f "$f" ]] && tail -c 20000 "$f" >"$outdir/${tag}_$(basename "$f" | sed 's/_[0-9]*_errors/_errors/')"
    done
    if [[ -f "$outdir/r${rate}.perf.data" ]]; then
        perf report -i "$outdir/r${rate}.perf.data" --no-children --sort dso,symbol --stdio \
            2>/dev/null | grep -v '^$' | head -300 >"$outdir/r${rate}.perf.txt" || true
    fi
    python3 "$HERE/sipp_stats.py" step \
        --rate "$rate" --duration "$DURATION" --hold "$HOLD" --operators "$OPERATORS" \
        --registered "$reg_ok" --uas "${#uas_ports[@]}" --register-seconds "$(python3 -c "print(f'{$r1-$r0:.1f}')")" \
        --uac-stat "$WORK/uac_stat.csv" --rtt "$(ls "$WORK"/uac_call_*_rtt.csv 2>/dev/null | head -1)" \
        --cpu-ticks $((c1 - c0)) --main-ticks $((m1 - m0)) --hz "$ticks_hz" \
        --wall "$(python3 -c "print($w1-$w0)")" --rss-kib "$rss_kib" \
         --threads "$peak_threads" --extra-fds $((peak_fds - base_fds)) --load-start "$load_start" --load-end "$load_end" \
        "${recordings[@]}" "${recorder_cpu[@]}" --summary "$outdir/summary.tsv"
}

if [[ "$MODE" == "__template" ]]; then
    build_template "$1"
    exit 0
fi
if [[ "$MODE" == "__step" ]]; then
    run_step "$1" "$2" "$3"
    exit 0
fi

# ---------------------------------------------------------------- main
wait_for_load() {
    local waited=0
    while python3 -c "import sys; sys.exit(0 if float('$(load1)') >= float('$MAX_LOAD') else 1)"; do
        if ((waited >= LOAD_WAIT)); then
            log "load average $(load1) still >= $MAX_LOAD after ${waited}s; giving up"
            return 1
        fi
        log "load average $(load1) >= $MAX_LOAD; waiting 30 s"
        sleep 30
        waited=$((waited + 30))
    done
}

[[ -x "$BINARY" ]] || { echo "no binary at $BINARY (ninja -C build suflyor)" >&2; exit 2; }
OUT="${OUT:-$HERE/results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OWN_TEMPLATE=0
if [[ -z "$TEMPLATE" ]]; then
    TEMPLATE=$(mktemp -d /tmp/suflyor-sipbench-template.XXXXXX)
    OWN_TEMPLATE=1
fi
trap '[[ $OWN_TEMPLATE -eq 1 ]] && rm -rf "$TEMPLATE"' EXIT
export BINARY OPERATORS DURATION HOLD JOBS KEEP DID PERF UAS RTP RECORDINGS PIN

if [[ ! -f "$TEMPLATE/operators" || "$(cat "$TEMPLATE/operators")" != "$OPERATORS" ]]; then
    wait_for_load
    log "building the template database ($OPERATORS operators) in $TEMPLATE"
    flock -o "$LOCK" "$0" __template "$TEMPLATE"
fi
cp "$TEMPLATE/template.txt" "$OUT/" 2>/dev/null || true
printf 'rate\tcalls\tok\tfailed\tfail_pct\tinv200_p50_ms\tinv200_p99_ms\tinv200_max_ms\tpeak_concurrent\tpeak_anchored_fds_div4\tcpu_pct\tmain_cpu_pct\tcpu_us_per_call\tpeak_rss_mib\tthreads\tload_start\tload_end\tregistered%s\n' \
    "$([[ $RECORDINGS -eq 1 ]] && printf '\trec_files\trec_channel_s\trec_silent_pct\trec_marked_calls\trec_lost_ms\trecorder_cpu_pct')" >"$OUT/summary.tsv"
for rate in $RATES; do
    wait_for_load || exit 3
    log "step: $rate calls/s for ${DURATION}s, hold ${HOLD} ms, $OPERATORS operators"
    flock -o "$LOCK" "$0" __step "$rate" "$TEMPLATE" "$OUT" || log "step $rate failed"
    if [[ $STOP_ON_FAIL -eq 1 ]]; then
        fail=$(tail -1 "$OUT/summary.tsv" | cut -f5)
        python3 -c "import sys; sys.exit(0 if float('$fail' or 100) < 0.1 else 1)" || {
            log "failures $fail % >= 0.1 %: stopping"
            break
        }
    fi
done
log "results in $OUT"
column -t -s $'\t' "$OUT/summary.tsv"
