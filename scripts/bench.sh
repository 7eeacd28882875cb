#!/usr/bin/env bash
# Whole-process timings and peak memory of `connect2forge migrate`, checked against the targets of
# docs/performance.md. Usage: scripts/bench.sh   (from anywhere; builds --release first)
#
# Environment: C2F_CORPUS (default /work/shared/corpus/connect; skipped if missing),
# RUNS (runs for the big descriptors, default 5), KEEP=1 keeps the temp folder, NO_HYPERFINE=1
# uses the date loop even when hyperfine is installed.
# Needs python3 (generator), jq (reads hyperfine's JSON), /usr/bin/time; uses hyperfine when
# installed, else a date loop.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=${C2F_CORPUS:-/work/shared/corpus/connect}
runs=${RUNS:-5}

for tool in python3 jq; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is required (apt-get install -y $tool)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time is required (apt-get install -y time)" >&2; exit 2; }

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/connect2forge"
[ -x "$bin" ] || { echo "bench.sh: no binary at $bin" >&2; exit 2; }

tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "temp folder: $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

# --- Synthetic descriptors: 5 background scripts + N other modules (same shape as
# benches/pipeline.rs::synthetic: six module types round-robin, webhooks without keys).
cat >"$tmp/gen.py" <<'PY'
import json, sys
n = int(sys.argv[1])
mods = {"jiraBackgroundScripts": [
    {"key": f"bg-script-{i}", "url": f"/background/{i}",
     "location": {"type": "issue_view", "shouldReloadOnRefresh": True} if i % 2 == 0 else {"type": "dashboard"}}
    for i in range(5)]}
kinds = ["generalPages", "webPanels", "webItems", "jiraIssueGlances", "webhooks", "jiraIssueTabPanels"]
for i in range(n):
    k = kinds[i % len(kinds)]
    if k == "generalPages":
        m = {"key": f"page-{i}", "name": {"value": f"Page {i}"}, "url": f"/page/{i}?project={{project.key}}",
             "location": "system.top.navigation.bar"}
    elif k == "webPanels":
        m = {"key": f"panel-{i}", "name": {"value": f"Panel {i}"}, "url": f"/panel/{i}?issue={{issue.key}}",
             "location": "atl.jira.view.issue.right.context", "weight": i}
    elif k == "webItems":
        m = {"key": f"item-{i}", "name": {"value": f"Item {i}"}, "location": "system.top.navigation.bar",
             "url": f"/item/{i}", "context": "addon"}
    elif k == "jiraIssueGlances":
        m = {"key": f"glance-{i}", "name": {"value": f"Glance {i}"},
             "content": {"type": "label", "label": {"value": f"G{i}"}},
             "icon": {"width": 24, "height": 24, "url": f"/images/{i}.svg"},
             "target": {"type": "web_panel", "url": f"/glance/{i}?issueKey={{issue.key}}"}}
    elif k == "webhooks":
        m = {"event": "jira:issue_updated", "url": f"/webhooks/{i}"}
    else:
        m = {"key": f"tab-{i}", "name": {"value": f"Tab {i}"}, "url": f"/tab/{i}", "weight": 100}
    mods.setdefault(k, []).append(m)
d = {"key": "com.example.synthetic", "name": "Synthetic", "description": "generated for benchmarks",
     "vendor": {"name": "Example", "url": "https://example.com"}, "baseUrl": "https://example.com",
     "authentication": {"type": "jwt"}, "lifecycle": {"installed": "/installed"},
     "scopes": ["READ", "WRITE"], "modules": mods}
json.dump(d, sys.stdout, indent=2)
PY
python3 "$tmp/gen.py" 2000 >"$tmp/synthetic-2000.json"
python3 "$tmp/gen.py" 20000 >"$tmp/synthetic-20000.json"
cp examples/atlassian-connect.json "$tmp/example.json"

# The corpus descriptors that migrate (refusals exit 2 and are not the fast path).
: >"$tmp/corpus.txt"
if [ -d "$corpus" ]; then
  for f in "$corpus"/*; do
    if "$bin" migrate "$f" --dry-run --out "$tmp/corpus-out" >/dev/null 2>&1; then
      echo "$f" >>"$tmp/corpus.txt"
    fi
  done
fi
ncorpus=$(wc -l <"$tmp/corpus.txt")
cat >"$tmp/corpus.sh" <<SH
#!/bin/sh
while read -r f; do "$bin" migrate "\$f" --dry-run --out "$tmp/corpus-out" >/dev/null 2>&1; done <"$tmp/corpus.txt"
SH
chmod +x "$tmp/corpus.sh"

# Up-to-date output folders for the no-change re-run (a real run, with --yes).
for n in example synthetic-2000 synthetic-20000; do
  "$bin" migrate "$tmp/$n.json" --yes --out "$tmp/out-$n" >/dev/null 2>&1
done

# --- Timing: mean and user seconds of a command (hyperfine, else a date +%s%N loop).
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1
[ "${NO_HYPERFINE:-0}" = 1 ] && have_hyperfine=0 # to try the fallback
# time_cmd NAME RUNS CMD...  → appends "NAME mean_s stddev_s user_s" to $tmp/times.txt
time_cmd() {
  local name=$1 n=$2
  shift 2
  if [ "$have_hyperfine" = 1 ]; then
    hyperfine -N --style none --warmup 2 --runs "$n" --export-json "$tmp/h.json" "$*" >/dev/null 2>&1 ||
      hyperfine -N --style none --warmup 2 --runs "$n" -i --export-json "$tmp/h.json" "$*" >/dev/null
    jq -r --arg n "$name" '.results[0] | "\($n) \(.median) \(.stddev // 0) \(.user)"' "$tmp/h.json" >>"$tmp/times.txt"
  else
    local i t0 t1 total=0 sq=0 d
    "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < n; i++)); do
      t0=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      d=$((t1 - t0))
      total=$((total + d))
      sq=$((sq + d / 1000 * (d / 1000)))
    done
    # (without hyperfine the mean is reported in place of the median)
    python3 -c "import math,sys; n=$n; m=$total/n/1e9; v=max($sq/n/1e12-m*m,0); print(sys.argv[1], m, math.sqrt(v), 'nan')" "$name" >>"$tmp/times.txt"
  fi
}
# rss NAME CMD... → appends "NAME peak_rss_kB" to $tmp/rss.txt (max of 3 runs)
rss() {
  local name=$1 best=0 k i
  shift
  for i in 1 2 3; do
    /usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>&1 || true
    k=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
    [ "$k" -gt "$best" ] && best=$k
  done
  echo "$name $best" >>"$tmp/rss.txt"
}

: >"$tmp/times.txt"
: >"$tmp/rss.txt"
dry() { echo "$bin migrate $tmp/$1.json --dry-run --out $tmp/fresh-$1"; }
time_cmd example 50 $(dry example)
time_cmd synthetic-2000 20 $(dry synthetic-2000)
time_cmd synthetic-20000 "$runs" $(dry synthetic-20000)
# Every corpus descriptor on its own: the three largest, which bound the rest.
if [ "$ncorpus" -gt 0 ]; then
  i=0
  while read -r f; do
    i=$((i + 1))
    cp "$f" "$tmp/corpus-large-$i.json"
    time_cmd "corpus-large-$i" 20 "$bin" migrate "$tmp/corpus-large-$i.json" --dry-run --out "$tmp/fresh-corpus-large"
  done < <(xargs -d '\n' ls -S <"$tmp/corpus.txt" | head -3)
fi
time_cmd rerun-example 50 "$bin" migrate "$tmp/example.json" --yes --out "$tmp/out-example"
time_cmd rerun-2000 20 "$bin" migrate "$tmp/synthetic-2000.json" --yes --out "$tmp/out-synthetic-2000"
time_cmd rerun-20000 "$runs" "$bin" migrate "$tmp/synthetic-20000.json" --yes --out "$tmp/out-synthetic-20000"
[ "$ncorpus" -gt 0 ] && time_cmd corpus 5 "$tmp/corpus.sh"

rss example $(dry example)
rss synthetic-2000 $(dry synthetic-2000)
rss synthetic-20000 $(dry synthetic-20000)
rss rerun-20000 "$bin" migrate "$tmp/synthetic-20000.json" --yes --out "$tmp/out-synthetic-20000"

# The re-runs must really be no-change runs.
for n in example synthetic-2000 synthetic-20000; do
  "$bin" migrate "$tmp/$n.json" --check --out "$tmp/out-$n" >/dev/null 2>&1 ||
    echo "warning: out-$n is not up to date: the re-run timings are not no-change runs" >&2
done

# --- Report.
size() { stat -c %s "$tmp/$1.json"; }
python3 - "$tmp" "$ncorpus" "$(size example)" "$(size synthetic-2000)" "$(size synthetic-20000)" "$have_hyperfine" <<'PY'
import sys
tmp, ncorpus = sys.argv[1], int(sys.argv[2])
sizes = {"example": int(sys.argv[3]), "synthetic-2000": int(sys.argv[4]), "synthetic-20000": int(sys.argv[5])}
sizes["rerun-20000"] = sizes["synthetic-20000"]
for i in (1, 2, 3):
    import os
    f = f"{tmp}/corpus-large-{i}.json"
    if os.path.exists(f):
        sizes[f"corpus-large-{i}"] = os.path.getsize(f)
sizes["rerun-example"], sizes["rerun-2000"] = sizes["example"], sizes["synthetic-2000"]
tool = "hyperfine" if sys.argv[6] == "1" else "date loop"
t = {}
for line in open(f"{tmp}/times.txt"):
    name, mean, sd, user = line.split()
    t[name] = (float(mean), float(sd), float(user))
r = {l.split()[0]: int(l.split()[1]) for l in open(f"{tmp}/rss.txt")}
labels = {
    "example": "migrate --dry-run, bundled example",
    "synthetic-2000": "migrate --dry-run, 5 scripts + 2,000 modules",
    "synthetic-20000": "migrate --dry-run, 5 scripts + 20,000 modules",
    "corpus-large-1": "migrate --dry-run, largest corpus descriptor",
    "corpus-large-2": "migrate --dry-run, 2nd largest corpus descriptor",
    "corpus-large-3": "migrate --dry-run, 3rd largest corpus descriptor",
    "rerun-example": "re-run, up-to-date --out, example",
    "rerun-2000": "re-run, up-to-date --out, 2,000 modules",
    "rerun-20000": "re-run, up-to-date --out, 20,000 modules",
    "corpus": f"all {ncorpus} corpus descriptors that migrate (sequential)",
}
def ms(x): return f"{x*1e3:.1f} ms" if x < 1 else f"{x:.2f} s"
avg = "median" if tool == "hyperfine" else "mean"
print(f"\nWhole-process timings ({tool}; {avg} ± σ, mean user CPU)\n")
print(f"| {'case':<58} | {'input':>9} | {avg+' ± σ':>20} | {'user':>9} | {'peak RSS':>9} | {'RSS limit':>9} |")
print(f"|{'-'*60}|{'-'*11}|{'-'*22}|{'-'*11}|{'-'*11}|{'-'*11}|")
for k, label in labels.items():
    if k not in t: continue
    mean, sd, user = t[k]
    size = f"{sizes[k]/1e3:.0f} kB" if k in sizes else "-"
    rss = f"{r[k]/1e3:.0f} MB" if k in r else "-"
    lim = f"{(40*sizes[k] + 20e6)/1e6:.0f} MB" if k in r else "-"
    u = ms(user) if user == user else "-"
    print(f"| {label:<58} | {size:>9} | {ms(mean)+' ± '+ms(sd):>20} | {u:>9} | {rss:>9} | {lim:>9} |")
def check(name, ok, detail):
    print(f"| {name:<52} | {'met' if ok else 'NOT MET':>7} | {detail} |")
print("\nTargets\n")
print(f"| {'target':<52} | {'result':>7} | measured |")
print(f"|{'-'*54}|{'-'*9}|----------|")
e = t["example"][0]
check("example --dry-run < 10 ms", e < 0.010, ms(e))
big, small = t["synthetic-20000"][0], t["synthetic-2000"][0]
large = [t[k][0] for k in t if k.startswith("corpus-large-")]
if large:
    check("every corpus descriptor --dry-run < 10 ms (the 3 largest)", max(large) < 0.010, ", ".join(ms(x) for x in large))
check("20,000 modules < 1 s", big < 1.0, ms(big))
check("2,000 -> 20,000 modules grows <= 12x", big / small <= 12, f"{big/small:.1f}x ({ms(small)} -> {ms(big)})")
for k in ["example", "synthetic-2000", "synthetic-20000"]:
    lim = 40 * sizes[k] + 20e6
    check(f"peak RSS < 40 x input + 20 MB ({k})", r[k] * 1e3 < lim, f"{r[k]/1e3:.0f} MB vs {lim/1e6:.0f} MB")
rr = t["rerun-20000"][0]
print(f"\n(Not a target: the up-to-date re-run of the 20,000-module descriptor takes {ms(rr)}, the dry run into a fresh folder {ms(big)}.)")
PY
