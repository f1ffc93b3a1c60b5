#!/usr/bin/env python3
"""--jobs gives the same bytes for any number of threads.

Usage: jobs_identity.py PERFGATE FIXTURES REPO_ROOT

1. Every k6 fixture (NDJSON, CSV, gzip; the larger ones span several 1 MiB blocks, so the
   worker threads run): `perfgate show --json` with --jobs 1, 2 and 3 gives identical stdout,
   stderr and exit status.
2. Generated inputs of many endpoints (tests/bench/make_k6_ndjson.py --endpoints 700, about
   6 MiB, NDJSON, CSV and gzip), where series are created all along the file: the same.
3. A whole job on the largest fixture (check with budget, JUnit, verdict, Markdown, saved
   model; report with charts): every output file identical for --jobs 1 and 2.
4. Skipped lines keep their file:line:col: a generated file with bad lines spread over
   several blocks reports the same diagnostics for --jobs 1 and 2.
Exit 0 when all hold, 1 otherwise.
"""

import filecmp
import os
import subprocess
import sys
import tempfile


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def main():
    perfgate, fixtures, root = sys.argv[1:4]
    failures = []
    checked = 0

    def same_for_jobs(args, what, jobs=(1, 2, 3)):
        nonlocal checked
        first = None
        for j in jobs:
            got = run([perfgate] + args[:1] + ["--jobs", str(j)] + args[1:])
            if first is None:
                first = got
            elif got != first:
                failures.append("%s: --jobs %d differs from --jobs %d" % (what, j, jobs[0]))
        checked += 1
        return first

    k6 = os.path.join(fixtures, "k6")
    inputs = []
    for d in sorted(os.listdir(k6)):
        for name in sorted(os.listdir(os.path.join(k6, d)) if os.path.isdir(os.path.join(k6, d)) else []):
            if name.startswith("out.") and name.endswith((".json", ".csv", ".gz")):
                inputs.append(os.path.join(k6, d, name))
    if len(inputs) < 12:
        failures.append("only %d k6 fixtures found under %s" % (len(inputs), k6))
    big = 0
    for path in inputs:
        if os.path.getsize(path) > 1 << 20:
            big += 1
        same_for_jobs(["show", "--json", path], path)
    if big < 3:
        failures.append("only %d fixtures span more than one block" % big)

    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(root, "tests", "bench", "make_k6_ndjson.py")
        made = []
        for fmt, gz in (("ndjson", False), ("csv", False), ("ndjson", True)):
            out = os.path.join(tmp, "many." + fmt + (".gz" if gz else ""))
            cmd = [sys.executable, gen, "--format", fmt, "--size-mb", "6", "--seed", "4",
                   "--endpoints", "700", "--out", out] + (["--gzip"] if gz else [])
            if subprocess.run(cmd, capture_output=True, timeout=300).returncode != 0:
                failures.append("generator failed: %s" % " ".join(cmd))
                continue
            made.append(out)
            rc, stdout, _ = same_for_jobs(["show", "--json", out], out)
            if rc != 0 or b'"endpoint"' not in stdout:
                failures.append("%s: show failed or read no endpoints (exit %d)" % (out, rc))

        # bad lines in several blocks: same diagnostics, same line numbers
        if made:
            bad = os.path.join(tmp, "bad.ndjson")
            with open(made[0], "rb") as src, open(bad, "wb") as dst:
                for n, line in enumerate(src, 1):
                    if n % 9000 == 0:
                        line = line.replace(b'"value":', b'"value":"x",', 1)
                    dst.write(line)
            rc, _, stderr = same_for_jobs(["show", bad], bad)
            if b"bad.ndjson:9000:" not in stderr or b"skipped" not in stderr:
                failures.append("bad lines: expected a diagnostic at bad.ndjson:9000 and a "
                                "skip count, got: %r" % stderr[:400])

        # a whole job: every output file identical
        src = os.path.join(k6, "mixed-stages", "out.json")
        budget = os.path.join(fixtures, "budgets", "release.json")
        outs = {}
        for j in (1, 2):
            d = os.path.join(tmp, "job%d" % j)
            os.mkdir(d)
            run([perfgate, "check", "--jobs", str(j), "-b", budget,
                 "--junit", os.path.join(d, "junit.xml"),
                 "--verdict", os.path.join(d, "verdict.json"),
                 "--markdown", os.path.join(d, "report.md"),
                 "--save-model", os.path.join(d, "model.json"), src])
            run([perfgate, "report", "--jobs", str(j), "--charts", os.path.join(d, "charts"),
                 "--markdown", os.path.join(d, "report2.md"), src])
            outs[j] = d
        cmp = filecmp.dircmp(outs[1], outs[2])
        files = []

        def walk(c, prefix):
            for name in c.diff_files + c.left_only + c.right_only + c.funny_files:
                failures.append("job output %s%s differs between --jobs 1 and 2" % (prefix, name))
            files.extend(c.same_files)
            for name, sub in c.subdirs.items():
                walk(sub, prefix + name + "/")
        walk(cmp, "")
        # dircmp compares by os.stat signature first: compare the bytes too
        for dirpath, _, names in os.walk(outs[1]):
            for name in names:
                a = os.path.join(dirpath, name)
                b = os.path.join(outs[2], os.path.relpath(a, outs[1]))
                if not os.path.exists(b) or not filecmp.cmp(a, b, shallow=False):
                    failures.append("job output %s differs" % os.path.relpath(a, outs[1]))
        if len(files) < 6:
            failures.append("the job wrote only %d files" % len(files))

    for f in failures:
        print("FAIL " + f)
    print("%d inputs compared across --jobs, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
