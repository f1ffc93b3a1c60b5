#!/usr/bin/env python3
"""k6_thresholds_verdict.py PERFGATE DIR...

For every k6 summary under the DIRs (--summary-export JSON and handleSummary JSON) that
recorded threshold results, builds a budget holding exactly those thresholds as a k6
`thresholds` object, runs `perfgate check --verdict` on the summary, and compares each
threshold's result with the pass/fail k6 itself recorded in the file:
  - legacy export: metrics.M.thresholds[EXPR] is true when the threshold FAILED;
  - handleSummary: metrics.M.thresholds[EXPR].ok is false when it failed.
A k6 raw stream beside the summary (out.json, out.json.gz: the same run) is checked the same
way. Expected: k6 failed -> status fail; k6 passed -> status pass; or no-data where perfgate has
no value and says what k6 made of it ("k6 itself would have passed/failed": k6 passes a rate
without samples and reads an empty trend or counter as 0).
Anything else is a mismatch. Exit 0 when all match, 1 otherwise, 77 when no DIR exists.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile


def recorded_thresholds(path):
    """{metric key: {expression: k6 passed?}} from a k6 summary, or {} when it has none."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = json.load(f)
    except (ValueError, UnicodeDecodeError):
        return {}
    metrics = doc.get("metrics") if isinstance(doc, dict) else None
    if not isinstance(metrics, dict) or "root_group" not in doc:
        return {}
    found = {}
    for key, metric in metrics.items():
        thresholds = metric.get("thresholds") if isinstance(metric, dict) else None
        if not isinstance(thresholds, dict):
            continue
        for expression, result in thresholds.items():
            if isinstance(result, bool):
                passed = not result            # legacy export: true means failed
            elif isinstance(result, dict) and isinstance(result.get("ok"), bool):
                passed = result["ok"]          # handleSummary
            else:
                continue
            found.setdefault(key, {})[expression] = passed
    return found


def check(perfgate, budget, inputs, work):
    verdict = os.path.join(work, "verdict.json")
    if os.path.exists(verdict):
        os.remove(verdict)
    run = subprocess.run([perfgate, "check", "-b", budget, "--verdict", verdict] + inputs,
                         capture_output=True, text=True)
    if run.returncode not in (0, 1) or not os.path.exists(verdict):
        return None, run.stderr
    with open(verdict) as f:
        return json.load(f), run.stderr


def compare(label, expected, verdict):
    """Mismatch messages; each result is matched to its threshold by rule name KEY: EXPR."""
    problems, checked = [], 0
    by_rule = {}
    for result in verdict["results"]:
        by_rule.setdefault(result["rule"], []).append(result)
    for key, expressions in expected.items():
        for expression, k6_passed in expressions.items():
            name = f"{key}: {expression}"
            results = by_rule.get(name)
            if not results:
                problems.append(f"{label}: no result for '{name}'")
                continue
            for r in results:
                checked += 1
                said = "passed" if k6_passed else "failed"
                ok = r["status"] == ("pass" if k6_passed else "fail") or (
                    r["status"] == "no-data" and
                    f"k6 itself would have {said}" in (r["note"] or ""))
                if not ok:
                    problems.append(f"{label}: '{name}': k6 {'passed' if k6_passed else 'failed'}"
                                    f", perfgate {r['status']} ({r['message']})")
    return problems, checked


def main():
    perfgate, dirs = sys.argv[1], [d for d in sys.argv[2:] if os.path.isdir(d)]
    if not dirs:
        print("SKIP: none of the folders exists (../shared beside the checkout?)")
        return 77
    files = sorted(f for d in dirs for f in glob.glob(os.path.join(d, "**", "*.json"),
                                                      recursive=True))
    total = mismatches = summaries = 0
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            expected = recorded_thresholds(path)
            if not expected:
                continue
            summaries += 1
            budget = os.path.join(work, "budget.json")
            with open(budget, "w") as f:
                json.dump({"thresholds": {k: list(v) for k, v in expected.items()}}, f)
            inputs = [path]
            folder = os.path.dirname(path)
            raw = [p for p in (os.path.join(folder, "out.json"),
                               os.path.join(folder, "out.json.gz")) if os.path.exists(p)]
            for candidate in [inputs] + [[r] for r in raw]:
                label = os.path.relpath(candidate[0])
                verdict, stderr = check(perfgate, budget, candidate, work)
                if verdict is None:
                    mismatches += 1
                    print(f"FAIL {label}: check did not give a verdict:\n{stderr}")
                    continue
                problems, checked = compare(label, expected, verdict)
                total += checked
                mismatches += len(problems)
                for p in problems:
                    print("FAIL " + p)
    print(f"{summaries} summaries with recorded thresholds; {total} threshold results compared "
          f"with k6's, {mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
