#!/usr/bin/env python3
"""A large model JSON is read series by series; what it says is what one tree would say.

Usage: model_pieces.py PERFGATE REPO_ROOT

A model of at least 64 series is read in pieces (model_json.c: the document without its
series, then each series alone). On the model saved from a generated 700-endpoint k6 NDJSON
input (tests/bench/make_k6_ndjson.py, from the real k6 run in fixtures/k6/mixed-stages):

1. Reading it and saving it again gives the same model (the writer is canonical: every
   member but the run's label and sources, which name the file read), and `show --json` of
   the model equals `show --json` of the raw input.
2. A syntax error inside series 300 (the pieces path gives up and reads the document whole):
   exit 2, one error at the line of the broken token, and nothing on standard output.
3. A value out of its domain inside series 300 (a negative bucket count, read in pieces):
   exit 2, one error at that value's line and column.
4. A duplicate member inside series 300 (read whole, as always): exit 0 and one warning at
   its line, the last value read.
5. The histogram counts and timeline points of a series are lexed from the text, not by
   Jansson (model_json.c: lex_nums). Whatever Jansson would refuse or read otherwise inside
   them gives Jansson's own answer: a real, a string or a negative count is an error at its
   place; an integer beyond int64 and a real beyond double are syntax errors; white space,
   "+Inf", null and -0 are read as Jansson reads them (the model shown is the same).
6. A series as the writer makes it is read without Jansson (read_series_fast); anything else
   inside one is Jansson's to report, as before: an escaped name reads as the same name, a
   duplicate tag is Jansson's warning, an unknown unit, a scale of 0, a negative minimum, an
   interval of 3 s and
   a timeline start off its boundary are errors where they are.
Exit 0 when all hold, 1 otherwise.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import make_many_endpoints  # noqa: E402


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def line_col(text, offset):
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def main():
    perfgate, root = sys.argv[1:3]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "many.ndjson")
        make_many_endpoints(root, src, 4, 5)
        m1 = os.path.join(tmp, "m1.json")
        m2 = os.path.join(tmp, "m2.json")
        rc, _, err = run([perfgate, "show", "--endpoint-memory", "0", "--save-model", m1, src])
        with open(m1) as f:
            text = f.read()
        series = json.loads(text)["runs"][0]["series"]
        if rc != 0 or len(series) < 1000:
            failures.append("saving the model: exit %d, %d series" % (rc, len(series)))
        rc, _, err = run([perfgate, "show", "--save-model", m2, m1])
        with open(m2) as f:
            again = json.load(f)
        # the run's label and sources name the file read; everything else is the same
        keep = lambda run: {k: v for k, v in run.items() if k not in ("label", "sources")}
        if rc != 0 or [keep(r) for r in again["runs"]] != \
           [keep(r) for r in json.loads(text)["runs"]]:
            failures.append("read back and saved again: exit %d, not the same model; %r"
                            % (rc, err[:300]))
        _, raw_json, _ = run([perfgate, "show", "--json", "--endpoint-memory", "0", src])
        rc, model_json, err = run([perfgate, "show", "--json", m1])
        strip = lambda doc: [{k: v for k, v in r.items() if k not in ("label", "sources")}
                             for r in json.loads(doc)["runs"]]
        if rc != 0 or strip(raw_json) != strip(model_json):
            failures.append("show --json of the model differs from show --json of the input")

        # where series 300 starts in the text: its "metric" member
        starts = [m.start() for m in re.finditer(r'\n        \{\n          "metric"', text)]
        if len(starts) < 400:
            failures.append("could not find the series in the saved text (%d)" % len(starts))
            starts = [0] * 400
        at = starts[300]
        bad = os.path.join(tmp, "bad.json")

        def check(edit_at, old, new, level, want, what, element=None):
            """One edit; the diagnostic is at it, or at the element it is in (element)."""
            i = text.index(old, edit_at)
            with open(bad, "w") as f:
                f.write(text[:i] + new + text[i + len(old):])
            rc, out, err = run([perfgate, "show", bad])
            line, col = line_col(text, i if element is None else element)
            e = err.decode()
            where = re.search(r"bad\.json:(\d+):(\d+): " + level, e)
            exit_want = 2 if level == "error" else 0
            if rc != exit_want or (level == "error" and out) or not where or \
               int(where.group(1)) != line or int(where.group(2)) < col or \
               e.count(": " + level) != 1 or want not in e:
                failures.append("%s: exit %d, expected one %s at %d:%d (or just after) "
                                "saying %r, got %r" % (what, rc, level, line, col, want,
                                                       e[:400]))

        check(at, '"kind": "trend"', '"kind": trend"', "error", "invalid token",
              "syntax error in series 300")
        check(at, '"counts": [', '"counts": [-5, ', "error", "counts >= 0",
              "negative count in series 300")
        check(at, '"unit": ', '"unit": "ms", "unit": ', "warning", "duplicate object key",
              "duplicate member in series 300")

        # inside the lexed arrays: the first histogram counts and timeline points from 300 on
        counts = text.index('"counts": [', at) + len('"counts": [')
        points = text.index("[", text.index('"points": [', at) + len('"points": [')) + 1
        check(counts, ", ", ".5, ", "error", "counts must be", "a real among the counts",
              counts)
        check(counts, ", ", ", \"7\", ", "error", "counts must be", "a string among the counts",
              counts)
        check(counts, ", ", ", 99999999999999999999, ", "error", "too big integer",
              "an integer beyond int64 among the counts")
        check(counts, ", ", ",, ", "error", "unexpected", "two commas among the counts")
        check(points, ", ", ", \"x\", ", "error", "a timeline point must be",
              "a string in a timeline point", points - 1)
        check(points, ", ", ", 1e999, ", "error", "real number overflow",
              "a real beyond double in a timeline point")
        check(points, "]", "], 5", "error", "a timeline point must be",
              "a timeline point that is not an array")

        def same(old, new, what, edit_at):
            i = text.index(old, edit_at)
            with open(bad, "w") as f:
                f.write(text[:i] + new + text[i + len(old):])
            rc, out, err = run([perfgate, "show", "--json", bad])
            if rc != 0 or strip(out) != strip(model_json):
                failures.append("%s: exit %d, or not the model read from the unedited text; %r"
                                % (what, rc, err[:300]))

        same(", ", " ,\n\t ", "white space among the counts", counts)
        same(", ", "\r\n,", "white space in a timeline point", points)
        same('"endpoint": "GET /', '"endpoint": "GET \\/', "an escaped endpoint name", at)
        check(at, '"tags": {"', '"tags": {"k": "v", "k": "w", "', "warning",
              "duplicate object key", "a duplicate tag")
        check(at, '"unit": "ms"', '"unit": "parsecs"', "error", "unknown unit 'parsecs'",
              "an unknown unit")
        check(at, '"scale": 1000', '"scale": 0', "error", "'scale' must be positive",
              "a scale of 0")
        check(at, '"min": ', '"min": -', "error", "must be at least 0", "a negative minimum")
        check(at, '"interval_s": 1', '"interval_s": 3', "error", "power of two",
              "a timeline interval of 3 s")
        check(at, ':00Z",\n            "histogram"', ':00.5Z",\n            "histogram"', "error",
              "on an interval boundary", "a timeline start off its boundary",
              text.rfind('"start": ', 0, text.index(':00Z",\n            "histogram"', at)) + 9)

        # the first point's sum, spelled as Jansson and is_number accept it
        first = text.index(", ", points) + 2
        comma = text.index(",", first)
        for spelled in ('"+Inf"', "null", "-0", "1E2", "5e-400", "0.5"):
            i = first
            with open(bad, "w") as f:
                f.write(text[:i] + spelled + text[comma:])
            rc, out, err = run([perfgate, "show", "--json", bad])
            if rc != 0:
                failures.append("a timeline sum of %s: exit %d, %r" % (spelled, rc, err[:300]))

    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: %d series read in pieces, saved again the same; errors inside them where "
              "they are" % len(series))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
