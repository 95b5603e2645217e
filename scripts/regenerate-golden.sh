#!/usr/bin/env bash
# Rewrites tests/data/plan_central.csv from the current model; review `git diff` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
TANFENG_BLESS=1 cargo test --release --test it golden::
git --no-pager diff --stat -- tests/data/plan_central.csv
