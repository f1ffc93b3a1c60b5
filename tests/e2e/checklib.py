"""Shared by the Python e2e checks: count checks, print each failure, exit 1 if any failed."""
import os
import subprocess
import sys

failures = []
checks = 0


def check(cond, what):
    """Records one check; prints what failed."""
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def finish(passed_text):
    """Exits 1 when a check failed, else prints 'passed_text: N checks passed'."""
    if failures:
        print(f"{len(failures)} of {checks} checks failed")
        sys.exit(1)
    print(f"{passed_text}: {checks} checks passed")


def make_many_endpoints(root, out, size_mb, seed, fmt="ndjson"):
    """Writes a k6 input of 700 endpoints to out with tests/bench/make_k6_ndjson.py (built
    from the real k6 run in fixtures/k6/mixed-stages); raises when the generator fails."""
    gen = os.path.join(root, "tests", "bench", "make_k6_ndjson.py")
    subprocess.run([sys.executable, gen, "--format", fmt, "--size-mb", str(size_mb), "--seed",
                    str(seed), "--endpoints", "700", "--out", out], check=True,
                   capture_output=True, timeout=300)
