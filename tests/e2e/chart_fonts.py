#!/usr/bin/env python3
"""Charts are drawn with the font files themselves: a user's fontconfig rules change nothing.

Usage: chart_fonts.py PERFGATE REPO_ROOT

chart_text.c makes the DejaVu Sans faces from their files (where Debian's fonts-dejavu-core
puts them), so no fontconfig configuration is loaded and none can move a glyph. A fontconfig
file (FONTCONFIG_FILE) that includes the system's and adds a rule of target "font" turning
embolden on and antialiasing off changed every chart before (both SVG and PNG): now the charts
of `perfgate check` on the k6 mixed-stages fixture are byte for byte the same with it and
without it. Skips (exit 77) where the font files are not installed: the toy API then asks
fontconfig, as it always did.
Exit 0 when the bytes are the same, 1 otherwise.
"""

import filecmp
import os
import subprocess
import sys
import tempfile

FONT_DIR = "/usr/share/fonts/truetype/dejavu"

RULE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="font">
    <edit name="embolden" mode="assign"><bool>true</bool></edit>
    <edit name="antialias" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
"""


def charts(perfgate, root, out, env):
    cmd = [perfgate, "check", "-b", os.path.join(root, "fixtures/budgets/release.json"),
           "--charts", out, "--chart-format", "both",
           os.path.join(root, "fixtures/k6/mixed-stages/out.json")]
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=120)
    return p.returncode, sorted(os.listdir(out)) if os.path.isdir(out) else []


def main():
    perfgate, root = sys.argv[1:3]
    if not all(os.path.exists(os.path.join(FONT_DIR, f))
               for f in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")):
        print("skip: the DejaVu Sans font files are not in " + FONT_DIR)
        return 77
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "fonts.conf")
        with open(conf, "w") as f:
            f.write(RULE)
        plain, ruled = os.path.join(tmp, "plain"), os.path.join(tmp, "ruled")
        env = dict(os.environ)
        env.pop("FONTCONFIG_FILE", None)
        rc1, names = charts(perfgate, root, plain, env)
        env["FONTCONFIG_FILE"] = conf
        rc2, names2 = charts(perfgate, root, ruled, env)
        svg = [n for n in names if n.endswith(".svg")]
        png = [n for n in names if n.endswith(".png")]
        if rc1 not in (0, 1) or rc1 != rc2 or names != names2 or not svg or not png:
            failures.append("check: exit %d and %d, charts %r and %r" % (rc1, rc2, names, names2))
        for n in names:
            if n in names2 and not filecmp.cmp(os.path.join(plain, n), os.path.join(ruled, n),
                                               shallow=False):
                failures.append("%s differs under a fontconfig rule" % n)
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: %d charts (SVG and PNG) the same under a user's fontconfig rule" % len(names))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
