#!/usr/bin/env bash
# Checks that every plan quote in src/scenario/plan_measures.rs stands verbatim in the plan text
# and that no quote is given twice. Usage: scripts/check-plan-quotes.sh [PLAN_TEXT]
# (default: ../shared/plan/qiqihar-eco-plan-14th-fyp.txt beside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
plan=${1:-../shared/plan/qiqihar-eco-plan-14th-fyp.txt}
[ -f "$plan" ] || { echo "plan text not found: $plan" >&2; exit 1; }
quotes=$(grep -o 'quote_zh: "[^"]*"' src/scenario/plan_measures.rs | sed 's/^quote_zh: "//; s/"$//')
[ -n "$quotes" ] || { echo "no quotes found in src/scenario/plan_measures.rs" >&2; exit 1; }
# The plan wraps nothing inside a sentence, but fold line breaks anyway.
text=$(tr -d '\n' < "$plan")
n=0; bad=0
while IFS= read -r q; do
  n=$((n + 1))
  if ! grep -qF -- "$q" <<<"$text"; then
    echo "not in the plan text: 「$q」" >&2; bad=$((bad + 1))
  fi
done <<<"$quotes"
dups=$(sort <<<"$quotes" | uniq -d)
if [ -n "$dups" ]; then echo "quoted twice: $dups" >&2; bad=$((bad + 1)); fi
if [ "$bad" -gt 0 ]; then echo "$bad of $n quotes fail" >&2; exit 1; fi
echo "all $n plan quotes are verbatim and unique"
