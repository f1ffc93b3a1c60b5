#!/usr/bin/env python3
"""check_ci_recipes.py PERFGATE SOURCE_DIR

The CI recipes of docs/ci/ (GitHub Actions, GitLab CI, Jenkins) are complete and work:
  - the two YAML files parse (PyYAML, Debian's python3-yaml) into the shapes their CI reads;
  - docs/ci.md holds each recipe file and each example budget verbatim;
  - every `perfgate` command line of a recipe runs against the fixtures, in a workspace laid out
    as the recipe expects (perf/budget.json, perf/regression.json, k6-results.json from the
    k6 fixture), in the order a pipeline runs them: first as on main, which saves the model;
    then as in a pull request, with that model where the recipe's artefact download puts it;
    each exits 0 and writes its outputs, the JUnit files valid XML;
  - the recipe's own plumbing agrees with its commands: the artefact kept on main is the file
    --save-model writes, the download on a pull request puts it at the --baseline path, the
    JUnit glob the CI collects matches the files written.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from checklib import check, finish  # noqa: E402

perfgate, src = sys.argv[1], sys.argv[2]
ci = os.path.join(src, "docs", "ci")


def perfgate_lines(script):
    """The perfgate command lines of a shell script, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", script)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("perfgate ")]


def option(command, name):
    m = re.search(r"(?:^|\s)%s\s+(\S+)" % re.escape(name), command)
    return m.group(1) if m else None


def run_recipe(name, lines, baseline_of, junit_glob):
    """Runs a recipe's perfgate lines: main first (no --baseline), then the pull request."""
    work = tempfile.mkdtemp(prefix="perfgate-ci-")
    try:
        os.makedirs(os.path.join(work, "perf"))
        for budget in ("budget.json", "regression.json"):
            shutil.copy(os.path.join(ci, "perf", budget), os.path.join(work, "perf", budget))
        shutil.copy(os.path.join(src, "fixtures", "k6", "mixed-stages", "out.json"),
                    os.path.join(work, "k6-results.json"))
        os.makedirs(os.path.join(work, "perf-out"))  # each recipe makes it before its check
        bindir = os.path.join(work, ".bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(perfgate), os.path.join(bindir, "perfgate"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
                   GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=os.path.join(work, "summary.md"))
        saved = [option(c, "--save-model") for c in lines if option(c, "--save-model")]
        check(len(saved) == 1, "%s: one command saves the model for later runs" % name)
        main = [c for c in lines if not option(c, "--baseline")]
        pull = [c for c in lines if option(c, "--baseline")]
        check(len(pull) == 1, "%s: one command checks against the baseline" % name)
        for phase, commands in (("main", main), ("pull request", main + pull)):
            if phase == "pull request" and saved:
                # the CI's artefact keeping and fetching, as the recipe wires it
                target = baseline_of(saved[0])
                check(target == option(pull[0], "--baseline"),
                      "%s: the artefact lands at %s, the check reads --baseline %s"
                      % (name, target, option(pull[0], "--baseline")))
                os.makedirs(os.path.join(work, os.path.dirname(target)), exist_ok=True)
                shutil.copy(os.path.join(work, saved[0]), os.path.join(work, target))
            for command in commands:
                result = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                        capture_output=True, text=True)
                check(result.returncode == 0, "%s (%s): `%s` exited %d: %s" % (
                    name, phase, command, result.returncode, result.stderr.strip()[-300:]))
                for flag in ("--junit", "--markdown", "--save-model"):
                    path = option(command, flag)
                    if path and result.returncode == 0:
                        full = os.path.join(work, path)
                        check(os.path.isfile(full) and os.path.getsize(full) > 0,
                              "%s: %s wrote nothing to %s" % (name, flag, path))
        collected = sorted(os.path.relpath(p, work)
                           for p in glob.glob(os.path.join(work, junit_glob)))
        written = sorted(option(c, "--junit") for c in lines if option(c, "--junit"))
        check(collected == written, "%s: the JUnit glob %s collects %s, the commands write %s"
              % (name, junit_glob, collected, written))
        for path in written:
            if not os.path.isfile(os.path.join(work, path)):
                continue  # its command's failure is reported
            try:
                xml.dom.minidom.parse(os.path.join(work, path))
                check(True, "")
            except Exception as e:  # noqa: BLE001 - any parse error is the finding
                check(False, "%s: %s is not XML: %s" % (name, path, e))
        if any("GITHUB_STEP_SUMMARY" in c for c in lines):
            summary = env["GITHUB_STEP_SUMMARY"]
            check(os.path.isfile(summary) and os.path.getsize(summary) > 0,
                  "%s: the job summary is empty" % name)
    finally:
        shutil.rmtree(work)


# ---- GitHub Actions ----
with open(os.path.join(ci, "github-actions.yml")) as f:
    github = yaml.safe_load(f)
steps = github["jobs"]["load-test"]["steps"]
check(isinstance(steps, list) and all("run" in s or "uses" in s for s in steps),
      "github: every step runs a script or uses an action")
triggers = github.get(True, github.get("on"))  # YAML 1.1 reads the key `on` as true
check("pull_request" in triggers and "push" in triggers, "github: runs on push and pull_request")
upload = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")
          and s["with"]["name"] == "perf-baseline"]
download = [s for s in steps if str(s.get("uses", "")).startswith("dawidd6/action-download-artifact")]
junit = [s for s in steps if str(s.get("uses", "")).startswith("mikepenz/action-junit-report")]
check(len(upload) == 1 and len(download) == 1 and len(junit) == 1,
      "github: one baseline upload, one download, one test report")
lines = [c for s in steps if "run" in s for c in perfgate_lines(s["run"])]
check(upload[0]["with"]["path"] == [option(c, "--save-model") for c in lines
                                    if option(c, "--save-model")][0],
      "github: the uploaded baseline is the saved model")
check(download[0]["with"]["name"] == "perf-baseline", "github: the download names perf-baseline")
run_recipe("github", lines,
           lambda saved: os.path.join(download[0]["with"]["path"], os.path.basename(saved)),
           junit[0]["with"]["report_paths"])

# ---- GitLab CI ----
with open(os.path.join(ci, "gitlab-ci.yml")) as f:
    gitlab = yaml.safe_load(f)
job = gitlab["performance"]
check(all(isinstance(c, str) for c in job["before_script"] + job["script"]),
      "gitlab: scripts are lists of strings")
lines = [c for s in job["script"] for c in perfgate_lines(s)]
check("perf-out/" in job["artifacts"]["paths"], "gitlab: perf-out/ is kept")
# the default branch's artefact zip keeps paths; the recipe unzips it into baseline/
run_recipe("gitlab", lines, lambda saved: os.path.join("baseline", saved),
           job["artifacts"]["reports"]["junit"])

# ---- Jenkins ----
with open(os.path.join(ci, "Jenkinsfile")) as f:
    jenkins = f.read()
scripts = re.findall(r"sh\s+'''(.*?)'''", jenkins, re.S) + re.findall(r"sh\s+'([^'\n]*)'", jenkins)
scripts = [s.replace("\\\\", "\\") for s in scripts]  # Groovy's '\\' is the shell's '\'
lines = [c for s in scripts for c in perfgate_lines(s)]
copy = re.search(r"copyArtifacts\((.*?)\)\s*\n", jenkins, re.S)
check(copy is not None, "jenkins: copyArtifacts fetches main's baseline")
fetched = re.search(r"filter:\s*'([^']+)'", copy.group(1)).group(1)
target = re.search(r"target:\s*'([^']+)'", copy.group(1)).group(1)
check(fetched == [option(c, "--save-model") for c in lines if option(c, "--save-model")][0],
      "jenkins: the copied artefact is the saved model")
junit_glob = re.search(r"junit\s+testResults:\s*'([^']+)'", jenkins).group(1)
check("archiveArtifacts" in jenkins, "jenkins: archives the report")
run_recipe("jenkins", lines, lambda saved: os.path.join(target, saved), junit_glob)

# ---- docs/ci.md holds every file as it is ----
with open(os.path.join(src, "docs", "ci.md")) as f:
    page = f.read()
blocks = re.findall(r"^```[a-z]*\n(.*?)^```", page, re.S | re.M)
for name in ("github-actions.yml", "gitlab-ci.yml", "Jenkinsfile", "perf/budget.json",
             "perf/regression.json"):
    with open(os.path.join(ci, name)) as f:
        check(f.read() in blocks, "docs/ci.md does not hold docs/ci/%s as it is" % name)

finish("CI recipes")
