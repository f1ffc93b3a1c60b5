#!/usr/bin/env bash
# Benchmark the small CI job of issue 18 (point 5): `perfgate check` of the k6 fixture
# fixtures/k6/mixed-stages/out.json (12 MB, 44,274 samples) with the release budget, JUnit,
# verdict JSON, the Markdown report, the job summary and the three SVG charts, as .ci/demo
# runs it; its aim is 20 ms of CPU.
#
# usage: bench_small_job.sh PERFGATE_BINARY [WORKDIR] [ROUNDS] [BASELINE_BINARY]
#
# Needs hyperfine (>= 1.13, for -N) and python3; valgrind (callgrind) when present.
# WORKDIR (default /tmp/perfgate-bench-job) gets the outputs; ROUNDS defaults to 5.
#
# CPU time on a shared machine moves with its neighbours by more than the differences worth
# measuring, so the commands are timed in ROUNDS rounds, alternating, each round one
# `hyperfine -N --warmup 2 --runs 20` session of:
#   job          the job as a CI runner does it: into an output folder with none of its
#                outputs yet (hyperfine's --prepare deletes them before each run, untimed)
#   replacing    the same job over the outputs of the run before, as when it is run again by
#                hand: each atomic rename then replaces a file, which costs the file system
#                more (ext4 writes out the new file's data at once when a rename replaces
#                another, its auto_da_alloc, and frees the old inode)
#   no-charts    the job without --charts, into a fresh folder as the job
#   start-up     `perfgate --version`: loading and relocating the shared libraries
# and each command's CPU time (user + system, the mean of its 20 runs) is printed per round,
# then the lowest and the median round. Then, with valgrind, the job's instructions
# (callgrind), which do not depend on the machine's load, and those of Cairo writing the SVGs
# (cairo_surface_finish) and of reading the stream (judge_load).
#
# With BASELINE_BINARY (another build), the job is then run PAIRS times (default 80) with each
# binary in turn, baseline first, into fresh folders, and each run's CPU time read from the
# kernel's accounting of that child (wait4, microseconds): the median of the pairs' ratios
# stands against the machine's drift better than rounds do.
#
# The script checks first that the job exits 0 and writes its seven outputs.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 4 ]; then
    echo "usage: $0 PERFGATE_BINARY [WORKDIR] [ROUNDS] [BASELINE_BINARY]" >&2
    exit 2
fi
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/bench/lib.sh
. "$SCRIPT_DIR/lib.sh"
PERFGATE=$(abs_perfgate "$1")
WORKDIR=${2:-/tmp/perfgate-bench-job}
ROUNDS=${3:-5}
BASELINE=${4:+$(abs_perfgate "$4")}
PAIRS=${PAIRS:-80}
need_tools hyperfine python3
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
INPUT="$ROOT/fixtures/k6/mixed-stages/out.json"
BUDGET="$ROOT/fixtures/budgets/release.json"
for f in "$INPUT" "$BUDGET"; do
    [ -f "$f" ] || { echo "error: fixture missing: $f" >&2; exit 2; }
done
start_workdir
cd "$WORKDIR"
SESSION_PREFIX=job

# outputs FOLDER -> the job's output options into FOLDER
outputs() {
    echo "--junit $1/junit.xml --verdict $1/verdict.json --markdown $1/report.md \
--summary $1/summary.md"
}
# fresh FOLDER -> the command that deletes the job's outputs in FOLDER (no shell: hyperfine -N)
fresh() {
    echo "rm -rf $1/junit.xml $1/verdict.json $1/report.md $1/summary.md $1/charts"
}
O="$WORKDIR/job"
REPLACING_DIR="$WORKDIR/replacing"
NO_CHARTS_DIR="$WORKDIR/no-charts"
mkdir -p "$O" "$REPLACING_DIR" "$NO_CHARTS_DIR"
JOB="$PERFGATE check -b $BUDGET $(outputs "$O") --charts $O/charts $INPUT"
REPLACING="$PERFGATE check -b $BUDGET $(outputs "$REPLACING_DIR") \
--charts $REPLACING_DIR/charts $INPUT"
NO_CHARTS="$PERFGATE check -b $BUDGET $(outputs "$NO_CHARTS_DIR") $INPUT"
START="$PERFGATE --version"

# shellcheck disable=SC2086 # the command lines are word lists
$JOB > "$WORKDIR/job.out"
for f in junit.xml verdict.json report.md summary.md charts/spectrum.svg \
    charts/timeline-1.svg charts/endpoints-1.svg; do
    [ -s "$O/$f" ] || { echo "error: the job did not write $O/$f" >&2; exit 1; }
done
echo "job: exit 0, its seven outputs written in $O"
# shellcheck disable=SC2086
$REPLACING > /dev/null # so that the first timed run already replaces files

for r in $(seq 1 "$ROUNDS"); do
    load
    session "round$r" --warmup 2 --runs 20 \
        -n job --prepare "$(fresh "$O")" "$JOB" \
        -n replacing --prepare true "$REPLACING" \
        -n no-charts --prepare "$(fresh "$NO_CHARTS_DIR")" "$NO_CHARTS" \
        -n start-up --prepare true "$START" > /dev/null 2>> "$WORKDIR/hyperfine.log"
done
echo "(hyperfine's warnings, if any: $WORKDIR/hyperfine.log)"

python3 - "$ROUNDS" <<'EOF'
import json, statistics, sys
rounds = int(sys.argv[1])
cpu = {}
for r in range(1, rounds + 1):
    with open("hyperfine-job-round%d.json" % r) as f:
        for res in json.load(f)["results"]:
            if any(res.get("exit_codes", [0])):
                sys.exit("error: %s failed in round %d" % (res["command"], r))
            cpu.setdefault(res["command"], []).append(1000 * (res["user"] + res["system"]))
print("CPU time per run (user + system, mean of 20 runs), ms, by round:")
for name, values in cpu.items():
    print("  %-10s %s   lowest %.1f, median %.1f" % (
        name, " ".join("%5.1f" % v for v in values), min(values), statistics.median(values)))
EOF

if command -v valgrind > /dev/null; then
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file="$WORKDIR/callgrind.out" $JOB \
        > /dev/null 2> "$WORKDIR/callgrind.err"
    callgrind_annotate --inclusive=yes "$WORKDIR/callgrind.out" 2> /dev/null |
        python3 -c '
import re, sys
total, parts = None, {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) .*?(PROGRAM TOTALS|:judge_load |:cairo_surface_finish |:dl_main )", line)
    if m:
        key = m.group(2).strip(": ")
        if key == "PROGRAM TOTALS":
            total = int(m.group(1).replace(",", ""))
        else:
            parts.setdefault(key, int(m.group(1).replace(",", "")))
print("instructions (callgrind): the job %.1f M" % (total / 1e6))
for key, label in (("judge_load", "reading the stream"),
                   ("cairo_surface_finish", "Cairo writing the SVGs"),
                   ("dl_main", "loading the libraries")):
    if key in parts:
        print("  %-24s %6.1f M (%4.1f %%)" % (label, parts[key] / 1e6, 100 * parts[key] / total))
'
else
    echo "(valgrind not installed: no instruction counts)"
fi

if [ -n "$BASELINE" ]; then
    python3 - "$PAIRS" "$WORKDIR" "$BASELINE" "$PERFGATE" "$BUDGET" "$INPUT" <<'EOF'
import os, shutil, statistics, sys
pairs, workdir = int(sys.argv[1]), sys.argv[2]
binaries, budget, stream = sys.argv[3:5], sys.argv[5], sys.argv[6]
def job(binary, out):
    return [binary, "check", "-b", budget, "--junit", out + "/junit.xml", "--verdict",
            out + "/verdict.json", "--markdown", out + "/report.md", "--summary",
            out + "/summary.md", "--charts", out + "/charts", stream]
devnull = os.open(os.devnull, os.O_WRONLY)
cpu = [[], []]
for k in range(pairs + 2):  # the first two pairs warm the caches, uncounted
    for i, binary in enumerate(binaries):
        out = os.path.join(workdir, "pair%d" % i)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        argv = job(binary, out)
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, usage = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("error: %s exited %d" % (binary, os.waitstatus_to_exitcode(status)))
        if k >= 2:
            cpu[i].append(1000 * (usage.ru_utime + usage.ru_stime))
ratios = [b / a for a, b in zip(*cpu)]
print("%d pairs, baseline then this build, fresh outputs, CPU per run (user + system):" % pairs)
print("  baseline   median %.1f ms, lowest %.1f ms" % (statistics.median(cpu[0]), min(cpu[0])))
print("  this build median %.1f ms, lowest %.1f ms" % (statistics.median(cpu[1]), min(cpu[1])))
print("  this build / baseline, median of the pairs: %.3f" % statistics.median(ratios))
EOF
fi
