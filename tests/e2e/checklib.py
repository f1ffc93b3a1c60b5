"""Shared by the Python e2e checks: count checks, print each failure, exit 1 if any failed."""
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
