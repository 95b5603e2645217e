#!/usr/bin/env bash
# End-to-end test of the workbooks (issue 23) in a real spreadsheet program, outside the
# README's test command: LibreOffice (headless) opens results.xlsx of a run and a comparison and
# every sheet it converts to CSV must hold the numbers of tanfeng's own CSVs; it opens and saves
# the input template as a user would, and `tanfeng import` of the saved copy must find no
# changed input (LibreOffice keeps 15 significant digits) and has one row per input.
# A missing LibreOffice is a failure, not a skip.
#
# Usage: scripts/e2e/xlsx.sh [path/to/tanfeng]   (default target/release/tanfeng)
# Prints one line per check and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

bin=$(realpath "${1:-target/release/tanfeng}")
draws=${E2E_DRAWS:-400}
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*" >&2; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

[ -x "$bin" ] || { bad "no tanfeng binary at $bin (build it first: cargo build --release)"; finish; }
soffice=$(command -v soffice || command -v libreoffice || true)
[ -n "$soffice" ] || { bad "LibreOffice is not installed (apt-get install libreoffice-calc)"; finish; }
command -v python3 >/dev/null || { bad "python3 is needed to compare the tables"; finish; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" # LibreOffice's profile, not the user's
mkdir -p "$HOME"
# Every sheet to its own CSV (token 12 = -1), UTF-8 (76), comma, double quotes.
to_csv() {
  "$soffice" --headless --norestore \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$2" "$1" >/dev/null 2>&1
}

# Compares a sheet LibreOffice wrote with tanfeng's CSV: same header, the Chinese header row
# skipped, numbers within 1e-9 (relative; LibreOffice writes 15 digits, percentages as "91%").
compare() {
  python3 - "$1" "$2" <<'PY'
import csv, sys
def rows(p):
    with open(p, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
sheet, table = rows(sys.argv[1]), rows(sys.argv[2])
def num(s):
    s = s.strip()
    scale = 1.0
    if s.endswith("%"):
        s, scale = s[:-1], 0.01
    try:
        return float(s) * scale
    except ValueError:
        return None
if sheet[0] != table[0]:
    sys.exit(f"header differs: {sheet[0][:5]} vs {table[0][:5]}")
body = sheet[2:]
if len(body) != len(table) - 1:
    sys.exit(f"{len(body)} rows, the CSV has {len(table) - 1}")
for i, (a, b) in enumerate(zip(body, table[1:])):
    a = a + [""] * (len(b) - len(a))
    for j, (x, y) in enumerate(zip(a, b)):
        nx, ny = num(x), num(y)
        if ny is not None and nx is not None:
            if abs(nx - ny) > 1e-9 * max(1.0, abs(ny)):
                sys.exit(f"row {i + 2} column {table[0][j]}: {x} vs {y}")
        elif x != y:
            sys.exit(f"row {i + 2} column {table[0][j]}: '{x}' vs '{y}'")
print(len(body))
PY
}

out="$work/out"
"$bin" run plan --draws "$draws" --no-charts --xlsx --out "$out" >/dev/null ||
  { bad "tanfeng run --xlsx failed"; finish; }
"$bin" compare reference plan --draws "$draws" --no-charts --xlsx --out "$out" >/dev/null ||
  { bad "tanfeng compare --xlsx failed"; finish; }

to_csv "$out/plan/results.xlsx" "$work/run" || bad "LibreOffice could not open the run's results.xlsx"
for pair in "达标 attainment:targets.csv" "汇总 summary:summary.csv" "削减量 ledger:ledger.csv" \
  "新增量 increments:increments.csv" "逐年 years:years.csv" "措施 wedges:wedges.csv"; do
  sheet=${pair%%:*}
  file=${pair#*:}
  if n=$(compare "$work/run/results-$sheet.csv" "$out/plan/$file" 2>&1); then
    ok "run results.xlsx '$sheet' = $file ($n rows)"
  else
    bad "run results.xlsx '$sheet' vs $file: $n"
  fi
done

to_csv "$out/compare/results.xlsx" "$work/cmp" || bad "LibreOffice could not open the comparison's results.xlsx"
for pair in "达标 attainment:attainment.csv" "差异 differences:differences.csv"; do
  sheet=${pair%%:*}
  file=${pair#*:}
  if n=$(compare "$work/cmp/results-$sheet.csv" "$out/compare/$file" 2>&1); then
    ok "compare results.xlsx '$sheet' = $file ($n rows)"
  else
    bad "compare results.xlsx '$sheet' vs $file: $n"
  fi
done

# The template, opened and saved by LibreOffice as a user would, imports unchanged.
"$bin" template plan --out "$work/plan.xlsx" >/dev/null || { bad "tanfeng template failed"; finish; }
mkdir -p "$work/saved"
"$soffice" --headless --norestore --convert-to 'xlsx:Calc MS Excel 2007 XML' \
  --outdir "$work/saved" "$work/plan.xlsx" >/dev/null 2>&1
if msg=$("$bin" import "$work/saved/plan.xlsx" -o "$work/child.toml" 2>&1) &&
  grep -q "with 0 changed input(s)" <<<"$msg"; then
  ok "template saved by LibreOffice imports with no changed input"
else
  bad "template saved by LibreOffice: $msg"
fi
to_csv "$work/saved/plan.xlsx" "$work/tpl" || bad "LibreOffice could not convert the template"
n=$(($(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8")))))' "$work/tpl/plan-Inputs.csv") - 1))
want=$("$bin" validate plan | grep -o '[0-9]* inputs' | head -1 | cut -d' ' -f1)
if [ "$n" -gt 100 ] && [ "$n" -eq "$want" ]; then
  ok "the template's Inputs sheet has one row per input ($n)"
else
  bad "the template's Inputs sheet has $n rows, explain lists $want inputs"
fi

finish
