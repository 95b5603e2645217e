#!/usr/bin/env bash
# End-to-end test of the briefing in a real browser (issue 20 item 6), outside the README's
# test command: runs the default comparison at a small draw count, opens briefing.html and
# briefing_en.html in headless Chromium with every host name unresolvable, checks that every
# image loaded (naturalWidth > 0) and that the page asked for nothing but its own files
# (resource timing entries and every src/href in the DOM), prints each to PDF and checks A4
# paper and a page count within the stated bound; converts the English Word briefing to PDF in
# headless LibreOffice Writer and checks that long tables repeat their header row on the next
# page. A missing browser or LibreOffice is a failure, not a skip.
#
# Usage: scripts/e2e/briefing.sh [path/to/tanfeng]   (default target/release/tanfeng)
# Prints one line per check and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

bin=${1:-target/release/tanfeng}
draws=${E2E_DRAWS:-400}
chromium=$(command -v chromium || command -v chromium-browser || true)
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
[ -n "$chromium" ] || { bad "chromium is not installed (apt-get install chromium)"; finish; }
command -v pdfinfo >/dev/null || { bad "pdfinfo is not installed (apt-get install poppler-utils)"; finish; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every host name fails to resolve: a page that needs the network shows broken images.
browser() {
  timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server='127.0.0.1:9' \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

# The checker (a script file beside the page, so it is a file: resource itself): after the
# load event, lists broken images, resources that are not file: URLs and src/href attributes
# that are absolute URLs, into a <pre> that --dump-dom prints.
checker='addEventListener("load", () => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src"));
  const fetched = performance.getEntriesByType("resource").map(e => e.name)
    .filter(n => !n.startsWith("file:") && !n.startsWith("data:"));
  const attrs = [...document.querySelectorAll("[src],[href]")]
    .map(e => e.getAttribute("src") || e.getAttribute("href"))
    .filter(u => /^[a-z][a-z0-9+.-]*:/i.test(u) && !/^(data|file):/i.test(u));
  const pre = document.createElement("pre");
  pre.id = "e2e";
  pre.textContent = "E2E images=" + imgs.length + " broken=" + broken.length +
    " external=" + (fetched.length + attrs.length) + " BROKEN:" + broken.join(",") +
    " EXTERNAL:" + fetched.concat(attrs).join(",") + " END";
  document.body.appendChild(pre);
});'

# check_page HTML MIN_IMAGES: loads a copy of HTML (same folder, so relative paths hold) with
# the checker; echoes "images broken external".
check_page() {
  local page=$1 copy
  copy="$(dirname "$page")/.e2e-$(basename "$page")"
  printf '%s\n' "$checker" >"$(dirname "$page")/.e2e-check.js"
  sed 's#</body>#<script src=".e2e-check.js"></script></body>#' "$page" >"$copy"
  local dom
  dom=$(browser --virtual-time-budget=20000 --dump-dom "file://$copy")
  rm -f "$copy" "$(dirname "$page")/.e2e-check.js"
  local line
  line=$(grep -oE 'E2E images=[0-9]+ broken=[0-9]+ external=[0-9]+[^<]* END' <<<"$dom" | head -1)
  echo "$line"
}

out="$work/out"
start=$(date +%s)
if ! "$bin" compare --draws "$draws" --out "$out" >"$work/compare.log" 2>&1; then
  bad "tanfeng compare --draws $draws failed:"; cat "$work/compare.log" >&2; finish
fi
ok "tanfeng compare --draws $draws ($(($(date +%s) - start)) s)"
dir="$out/compare"
figures=$(ls "$dir"/charts/*_zh.png 2>/dev/null | wc -l)

for page in briefing.html briefing_en.html; do
  f="$dir/$page"
  [ -f "$f" ] || { bad "$page was not written"; continue; }
  n_img=$(grep -o '<img ' "$f" | wc -l)
  res=$(check_page "$f")
  if [ -z "$res" ]; then
    bad "$page: the browser did not run the check (see $work/chromium.log)"; tail -5 "$work/chromium.log" >&2; continue
  fi
  read -r imgs broken external <<<"$(sed -E 's/E2E images=([0-9]+) broken=([0-9]+) external=([0-9]+).*/\1 \2 \3/' <<<"$res")"
  if [ "$imgs" -ge "$figures" ] && [ "$imgs" -eq "$n_img" ] && [ "$broken" -eq 0 ]; then
    ok "$page: all $imgs images loaded ($figures charts)"
  else
    bad "$page: $imgs images in the browser ($n_img in the file, $figures charts), $broken broken: $res"
  fi
  if [ "$external" -eq 0 ]; then ok "$page: no external URL requested or referenced"; else bad "$page: external URLs: $res"; fi
  pdf="$work/${page%.html}.pdf"
  browser --no-pdf-header-footer --print-to-pdf="$pdf" "file://$f" >/dev/null
  if [ ! -s "$pdf" ]; then bad "$page: no PDF printed"; continue; fi
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$pdf" | awk -F': *' '/^Page size:/ {print $2}')
  # The bound: the charts two per page, plus at most 12 pages of text and tables (summary,
  # attainment, ledger, method, assumptions, sensitivity, measures left out, metadata).
  max=$(((figures + 1) / 2 + 12))
  min=$(((figures + 1) / 2 + 1))
  if [[ "$size" == *"(A4)"* ]]; then ok "$page: printed on A4"; else bad "$page: paper is $size, not A4"; fi
  if [ "$pages" -ge "$min" ] && [ "$pages" -le "$max" ]; then
    ok "$page: $pages A4 pages for $figures charts (bound $min–$max)"
  else
    bad "$page: $pages A4 pages for $figures charts, outside $min–$max"
  fi
  [ -n "${E2E_KEEP:-}" ] && cp "$pdf" "$E2E_KEEP/"
done

# The Word briefing in LibreOffice Writer (headless), converted to PDF: a table that runs onto
# another page repeats its header row there (w:tblHeader on each table's first row). The two
# ledger tables of the default comparison are long enough to continue on a further page, so
# their header texts must be on more pages than there are such tables.
soffice=$(command -v soffice || command -v libreoffice || true)
docx="$dir/briefing_en.docx"
if [ -z "$soffice" ]; then
  bad "LibreOffice is not installed (apt-get install libreoffice-writer)"
elif [ ! -f "$docx" ]; then
  bad "briefing_en.docx was not written"
else
  timeout 300 "$soffice" -env:UserInstallation="file://$work/lo-profile" --headless --norestore \
    --convert-to pdf --outdir "$work/word" "$docx" >"$work/soffice.log" 2>&1
  wpdf="$work/word/briefing_en.pdf"
  if [ ! -s "$wpdf" ]; then
    bad "LibreOffice Writer did not convert briefing_en.docx to PDF (libreoffice-writer installed?): $(tail -2 "$work/soffice.log")"
  else
    wpages=$(pdfinfo "$wpdf" | awk '/^Pages:/ {print $2}')
    tables=0
    shown=0
    for header in "Scenario · pollutant (year)" "Project / cause of new increment"; do
      tables=$((tables + $(python3 -c 'import sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
print(x.count(sys.argv[2]))' "$docx" "$header")))
      # The header's first words (the cell wraps in the PDF).
      words=$(cut -d' ' -f1-2 <<<"$header")
      for ((p = 1; p <= wpages; p++)); do
        pdftotext -f "$p" -l "$p" -layout "$wpdf" - | grep -qF "$words" && shown=$((shown + 1))
      done
    done
    if [ "$tables" -ge 2 ] && [ "$shown" -gt "$tables" ]; then
      ok "briefing_en.docx in LibreOffice: $tables ledger tables show their header row on $shown pages ($wpages pages)"
    else
      bad "briefing_en.docx in LibreOffice: $tables ledger tables show their header row on only $shown pages: not repeated on a continuation page"
    fi
    [ -n "${E2E_KEEP:-}" ] && cp "$wpdf" "$E2E_KEEP/briefing_en_word.pdf"
  fi
fi

# The checks themselves must be able to fail: a copy with an external image and a missing
# chart must be reported.
bad_page="$dir/bad.html"
sed 's#</body>#<img src="https://example.com/x.png"><img src="charts/missing_zh.png"></body>#' \
  "$dir/briefing.html" >"$bad_page"
res=$(check_page "$bad_page")
rm -f "$bad_page"
read -r _ broken external <<<"$(sed -E 's/E2E images=([0-9]+) broken=([0-9]+) external=([0-9]+).*/\1 \2 \3/' <<<"$res")"
if [ "${broken:-0}" -ge 2 ] && [ "${external:-0}" -ge 1 ]; then
  ok "the check reports a page with an external and a missing image ($broken broken, $external external)"
else
  bad "the check missed a broken page: ${res:-no result}"
fi
finish
