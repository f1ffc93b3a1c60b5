#!/usr/bin/env python3
"""signal_cleanup.py PERFGATE FIXTURES

SIGTERM or SIGINT while perfgate writes an output leaves no `*.tmp.*` file, and the older output
stays as it was. Deterministic: perfgate runs under gdb, stopped at the rename of its temporary
file (the data written, the rename not yet done; without --fsync there is no fsync to stop
at); gdb then delivers the signal, and lets the handler's own re-raise end the process (the exit status a shell sees: killed by the signal). Checked for
--save-model (show), --junit (check) and --markdown (report), each with SIGTERM and SIGINT.

Exit 0 when every case holds, 1 otherwise, 77 (skipped) when gdb is not installed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    perfgate, fixtures = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not shutil.which("gdb"):
        print("gdb is not installed: skipped")
        return 77
    run = os.path.join(fixtures, "autocannon", "fast-c10-d3.json")
    budget = os.path.join(fixtures, "budgets", "strict.json")
    outputs = [("show", ["show", "--save-model", "OUT", run], "m.json"),
               ("check", ["check", "--budget", budget, "--junit", "OUT", run], "junit.xml"),
               ("report", ["report", "--markdown", "OUT", run], "report.md")]
    failures = 0
    for sig in ("SIGTERM", "SIGINT"):
        for name, args, out in outputs:
            with tempfile.TemporaryDirectory(prefix="perfgate-signal-") as d:
                target = os.path.join(d, out)
                with open(target, "w") as f:
                    f.write("older output\n")
                argv = [a.replace("OUT", target) for a in args]
                g = subprocess.run(["gdb", "-nx", "-batch", "-ex", "set pagination off",
                                    "-ex", "set breakpoint pending on", "-ex", "break rename",
                                    "-ex", "run", "-ex", f"shell ls -1 {d} | sed 's/^/IN-FOLDER: /'",
                                    "-ex", "handle SIGTERM SIGINT nostop noprint pass",
                                    "-ex", f"signal {sig}",
                                    "--args", perfgate] + argv,
                                   capture_output=True, text=True, timeout=300)
                problems = []
                if not re.search(r"Breakpoint 1(\.[0-9]+)?,", g.stdout):  # 1.7: a location
                    problems.append("never reached rename")
                if f"IN-FOLDER: {out}.tmp." not in g.stdout:
                    problems.append("no temporary file at the rename: the case tests nothing")
                if f"Program terminated with signal {sig}" not in g.stdout:
                    problems.append(f"did not end by {sig}")
                left = sorted(os.listdir(d))
                if left != [out]:
                    problems.append(f"folder holds {left}")
                with open(target) as f:
                    if f.read() != "older output\n":
                        problems.append("the older output changed")
                if problems:
                    failures += 1
                    print(f"FAIL {name} {sig}: {'; '.join(problems)}")
                    print(g.stdout[-2000:], g.stderr[-2000:])
                else:
                    print(f"ok {name} {sig}: stopped at the rename of the temporary file, {sig} "
                          f"left only the older {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
