#!/usr/bin/env python3
"""validate_schemas.py PERFGATE SOURCE_DIR WORKDIR [SAMPLES_DIR]

Validates perfgate's JSON outputs against the schemas in formats/ with the jsonschema package
(Debian python3-jsonschema, an implementation independent of perfgate):
  - `show --json` of every fixture (JSON, CSV, fixtures/wrk/*.txt) against
    formats/show.schema.json;
  - `show --save-model` of the same against formats/model.schema.json;
  - every verdict.json under tests/e2e/**/expect/out/ and every verdict-*.json in SAMPLES_DIR
    (written by the unit test test_emit) against formats/verdict.schema.json, and its counts
    against the results it lists;
  - `report --dump-context` of every fixture, and every context.json under tests/e2e/**/expect/out/,
    against formats/report-context.schema.json, and its counts against the results it lists.
"""
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def verdict_problems(document):
    """What the schema cannot say: the counts are those of the results listed."""
    results = document.get("results", [])
    effects = collections.Counter(r["effect"] for r in results)
    expected = {"results": len(results), "passed": effects["ok"],
                "warnings": effects["warning"], "failures": effects["failure"],
                "no_data": sum(r["status"] == "no-data" for r in results)}
    return [f"counts.{key} is {document['counts'][key]}, the results hold {value}"
            for key, value in expected.items() if document["counts"][key] != value]


def context_problems(document):
    """What the schema cannot say: counts and lists agree with each other."""
    results = document["results"]
    effects = collections.Counter(r["effect"] for r in results)
    verdict = document["verdict"]
    expected = {"results": len(results), "passed": effects["ok"],
                "warnings": effects["warning"], "failures": effects["failure"],
                "no_data": sum(r["status"] == "no-data" for r in results)}
    problems = [f"verdict.{key} is {verdict[key]}, the results hold {value}"
                for key, value in expected.items() if verdict[key] != value]
    if len(document["runs"]) != document["run_count"]:
        problems.append("run_count differs from the runs listed")
    if len(document["problems"]) != effects["failure"] + effects["warning"]:
        problems.append("problems are not the failures and warnings")
    if sum(len(run["results"]) for run in document["runs"]) != sum(
            r["run"] is not None for r in results):
        problems.append("the runs' results are not the results with a run")
    return problems


def verdict_files(src, samples):
    files = sorted(glob.glob(os.path.join(src, "tests", "e2e", "**", "expect", "out", "**",
                                          "verdict.json"), recursive=True))
    if samples:
        files += sorted(glob.glob(os.path.join(samples, "verdict-*.json")))
    return files


def main():
    perfgate, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
    samples = sys.argv[4] if len(sys.argv) > 4 else None
    schemas = {name: json.load(open(os.path.join(src, "formats", name)))
               for name in ("show.schema.json", "model.schema.json", "verdict.schema.json",
                            "budget.schema.json", "report-context.schema.json")}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    inputs = []
    for top, _, files in sorted(os.walk(os.path.join(src, "fixtures"))):
        if os.path.basename(top) == "budgets":
            continue  # budget files, validated against budget.schema.json below
        # truth.json holds Prometheus's answers for a test, not an input
        inputs += sorted(os.path.join(top, f) for f in files
                         if f.endswith((".json", ".json.gz", ".csv")) and f != "truth.json"
                         or (os.path.basename(top) == "wrk" and f.endswith(".txt")))
    failed = passed = 0
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        model = os.path.join(tmp, "model.json")
        for path in inputs:
            show = subprocess.run([perfgate, "show", "--json", "--percentiles", "75,99.99",
                                   "--save-model", model, path],
                                  capture_output=True, text=True, check=True)
            for name, document in (("show.schema.json", json.loads(show.stdout)),
                                   ("model.schema.json", json.load(open(model)))):
                errors = list(jsonschema.Draft202012Validator(schemas[name])
                              .iter_errors(document))
                if errors:
                    failed += 1
                    print(f"FAIL {os.path.basename(path)} vs {name}: {errors[0].message} "
                          f"at {list(errors[0].absolute_path)}")
                else:
                    passed += 1
    contexts = [(os.path.relpath(path, src), json.load(open(path))) for path in sorted(glob.glob(
        os.path.join(src, "tests", "e2e", "**", "expect", "out", "**", "context.json"),
        recursive=True))]
    if not contexts:
        failed += 1
        print("FAIL no context.json under tests/e2e/**/expect/out/")
    for path in inputs:
        report = subprocess.run([perfgate, "report", "--dump-context", path], capture_output=True,
                                text=True, check=True)
        contexts.append((f"report --dump-context {os.path.relpath(path, src)}",
                         json.loads(report.stdout)))
    for name, document in contexts:
        errors = list(jsonschema.Draft202012Validator(schemas["report-context.schema.json"])
                      .iter_errors(document))
        problems = [f"{e.message[:200]} at {list(e.absolute_path)}" for e in errors[:1]]
        problems += [] if errors else context_problems(document)
        if problems:
            failed += 1
            print(f"FAIL {name} vs report-context.schema.json: {problems[0]}")
        else:
            passed += 1
    verdicts = verdict_files(src, samples)
    if samples and not verdicts:
        failed += 1
        print(f"FAIL no verdict-*.json in {samples} (test_emit writes them)")
    for path in verdicts:
        document = json.load(open(path))
        errors = list(jsonschema.Draft202012Validator(schemas["verdict.schema.json"])
                      .iter_errors(document))
        problems = [f"{e.message[:200]} at {list(e.absolute_path)}" for e in errors[:1]]
        problems += [] if errors else verdict_problems(document)
        if problems:
            failed += 1
            print(f"FAIL {os.path.relpath(path, src)} vs verdict.schema.json: {problems[0]}")
        else:
            passed += 1
    # capacity JSON: the stdout of e2e cases that print it
    capacity_schema = json.load(open(os.path.join(src, "formats", "capacity.schema.json")))
    jsonschema.Draft202012Validator.check_schema(capacity_schema)
    for path in sorted(glob.glob(os.path.join(src, "tests", "e2e", "capacity", "*", "expect",
                                              "stdout"))):
        text = open(path).read()
        if not text.startswith("{"):
            continue
        errors = list(jsonschema.Draft202012Validator(capacity_schema)
                      .iter_errors(json.loads(text)))
        if errors:
            failed += 1
            print(f"FAIL {os.path.relpath(path, src)} vs capacity.schema.json: "
                  f"{errors[0].message[:200]} at {list(errors[0].absolute_path)}")
        else:
            passed += 1
    # budget files: the fixtures, and those of e2e cases that perfgate accepts (exit 0 or 1)
    budgets = sorted(glob.glob(os.path.join(src, "fixtures", "budgets", "*.json")))
    for case in sorted(glob.glob(os.path.join(src, "tests", "e2e", "**", "budget*.json"),
                                 recursive=True)):
        exit_file = os.path.join(os.path.dirname(case), "expect", "exit")
        if os.path.exists(exit_file) and open(exit_file).read().strip() in ("0", "1"):
            budgets.append(case)
    for path in budgets:
        errors = list(jsonschema.Draft202012Validator(schemas["budget.schema.json"])
                      .iter_errors(json.load(open(path))))
        if errors:
            failed += 1
            print(f"FAIL {os.path.relpath(path, src)} vs budget.schema.json: "
                  f"{errors[0].message[:200]} at {list(errors[0].absolute_path)}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
