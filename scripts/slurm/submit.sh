#!/bin/bash
# Submits a sharded tanfeng run to Slurm: an array of N shard tasks and a merge job that
# runs after all of them succeeded.
#
#   scripts/slurm/submit.sh N WORK_DIR COMMAND [ARGS...]
#   e.g. scripts/slurm/submit.sh 16 /shared/plan-sobol sensitivity plan --method sobol
#
# Shards go to WORK_DIR/shards, outputs to WORK_DIR/out (WORK_DIR must be on a file system
# every node sees). Extra sbatch options (partition, account, time) via SBATCH_* variables
# or by editing the #SBATCH lines; merge options (e.g. --no-charts) in TANFENG_MERGE_OPTIONS.
# Prints the two job ids.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 N WORK_DIR COMMAND [ARGS...]" >&2
    exit 2
fi
n=$1
work=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/shards"
array=$(sbatch --parsable --array="1-$n" --chdir="$work" \
    "$here/shard.sbatch" "$work/shards" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --chdir="$work" \
    "$here/merge.sbatch" "$work/shards" "$work/out" ${TANFENG_MERGE_OPTIONS:-})
merge=${merge%%;*}
echo "$array $merge"
