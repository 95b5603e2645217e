#!/bin/bash
# End-to-end test on a real single-node Slurm cluster (run by .ci/run after the README's
# test command): starts munged, slurmctld and slurmd on localhost with the shipped
# slurm.conf, submits a 4-task shard array and a merge job depending on it through
# submit.sh, waits, and compares every CSV with a single-process run byte for byte.
#
#   scripts/slurm/e2e.sh            (as root; needs Debian's slurm-wlm and munge installed)
#
# Installs nothing. Fails (exit 1), never skips, when Slurm or munge is missing or does not
# start. TANFENG names the binary (default: target/release/tanfeng). Stops the daemons it
# started (by their pid files) on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=/tmp/tanfeng-slurm
conf="$here/slurm.conf"
bin=${TANFENG:-$root/target/release/tanfeng}
draws=${E2E_DRAWS:-20000}

started=""
fail() {
    echo "e2e: FAIL: $*" >&2
    [ -n "$started" ] || exit 1
    for log in "$state"/*.log; do
        [ -f "$log" ] && { echo "--- $log (last lines)" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

for c in munged mungekey slurmctld slurmd sbatch scontrol sinfo; do
    command -v "$c" >/dev/null || fail "'$c' not found: install Debian's slurm-wlm and munge"
done
[ -x "$bin" ] || fail "no tanfeng binary at $bin (cargo build --release, or set TANFENG)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

stop() {
    for d in slurmd slurmctld munged; do
        pidfile="$state/$d.pid"
        if [ -f "$pidfile" ]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
    done
}
# A previous run of this script may have left its daemons: stop them first.
stop
trap stop EXIT
rm -rf "$state"
mkdir -p "$state/ctld" "$state/slurmd" "$state/work"

started=1
mungekey --create --keyfile="$state/munge.key" --force >/dev/null
chmod 0400 "$state/munge.key"
munged --force --socket="$state/munge.socket" --key-file="$state/munge.key" \
    --pid-file="$state/munged.pid" --log-file="$state/munged.log" \
    --seed-file="$state/munged.seed" || fail "munged did not start"

export SLURM_CONF="$conf"
slurmctld -f "$conf" || fail "slurmctld did not start"
slurmd -f "$conf" -N localhost || fail "slurmd did not start"

up=""
for _ in $(seq 60); do
    state_now=$(sinfo -h -n localhost -o '%T' 2>/dev/null || true)
    case "$state_now" in idle*|mixed*|allocated*) up=1; break ;; esac
    sleep 1
done
[ -n "$up" ] || fail "node localhost did not come up (sinfo: '${state_now:-nothing}')"
echo "e2e: Slurm up ($(sinfo -h -o '%P %D %T %C'))"

work="$state/work"
cmd=(run plan --draws "$draws" --seed 7)
"$bin" "${cmd[@]}" --no-charts --out "$work/single" >/dev/null

export TANFENG="$bin"
export TANFENG_MERGE_OPTIONS=--no-charts
read -r array merge < <("$here/submit.sh" 4 "$work" "${cmd[@]}")
echo "e2e: submitted array job $array (4 shards) and merge job $merge (afterok:$array)"

final=""
for _ in $(seq 600); do
    job_state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1)
    case "$job_state" in
        COMPLETED) final=ok; break ;;
        FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) final=$job_state; break ;;
    esac
    sleep 1
done
if [ "$final" != ok ]; then
    cat "$work"/tanfeng-*.out >&2 2>/dev/null || true
    scontrol show job "$array" >&2 || true
    fail "merge job $merge ended as '${final:-still running after 600 s}'"
fi

shards=$(ls "$work/shards"/*.tfshard | wc -l)
[ "$shards" -eq 4 ] || fail "expected 4 shard files, found $shards"
n=0
for f in "$work/single/plan"/*.csv; do
    cmp "$f" "$work/out/plan/$(basename "$f")" || fail "$(basename "$f") differs from the single process"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "the single process wrote no CSV"
echo "e2e: OK — $n CSV files of 4 Slurm shards merged byte-identical to one process"
