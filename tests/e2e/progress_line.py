#!/usr/bin/env python3
"""progress_line.py PERFGATE FIXTURES

The progress line of a long input (src/util/progress.c), with standard error on a
pseudo-terminal. PERFGATE_PROGRESS_DELAY_MS=0 stands for an input long enough to take a second,
so no timing decides anything here:
  - on a terminal, `show` of the 11.9 MB k6 stream draws "perfgate: reading NAME: X of 11.9 MB
    (P %), R MB/s, about S s left" and erases it ("\\r ESC[K") before it ends, and its stdout
    is the same as without a terminal;
  - a gzip input counts its compressed size (0.5 MB for the .gz of the same stream);
  - nothing is drawn when standard error is not a terminal, with NO_COLOR set, with TERM=dumb,
    or with --quiet (and -q);
  - a diagnostic printed while the line is up comes after an erase, on a line of its own.
Exit 0 when all hold, 1 otherwise.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

from checklib import check, finish

perfgate, fixtures = sys.argv[1], sys.argv[2]
stream = os.path.join(fixtures, "k6", "mixed-stages", "out.json")
gz = os.path.join(fixtures, "k6", "mixed-stages-gz", "out.json.gz")
LINE = re.compile(rb"\rperfgate: reading [^\r\n]*: (\d+\.\d) of (\d+\.\d) MB \((\d+) %\), "
                  rb"\d+\.\d MB/s, about \d+ s left\x1b\[K")
ERASE = b"\r\x1b[K"


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update(PERFGATE_PROGRESS_DELAY_MS="0", TERM="xterm")
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def on_terminal(args, env):
    """Runs perfgate with stderr on a pseudo-terminal; returns (exit, stdout, stderr bytes)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([perfgate] + args, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, out, err


# drawn and erased, stdout untouched
code, out, err = on_terminal(["show", stream], environment())
lines = LINE.findall(err)
check(code == 0, "show on a terminal exited %d" % code)
check(len(lines) >= 1, "no progress line on a terminal: %r" % err[:200])
check(all(total == b"11.9" for _, total, _ in lines), "the total is not 11.9 MB: %r" % lines)
check(all(0 <= int(p) <= 100 for _, _, p in lines), "a share outside 0..100 %%: %r" % lines)
check(err.endswith(ERASE), "the line is not erased at the end: %r" % err[-40:])
plain = subprocess.run([perfgate, "show", stream], capture_output=True, env=environment())
check(out == plain.stdout, "stdout differs with stderr on a terminal")
check(b"perfgate: reading" not in plain.stderr, "a progress line with stderr on a pipe")

# gzip: the compressed size
code, out, err = on_terminal(["show", gz], environment())
lines = LINE.findall(err)
check(len(lines) >= 1 and all(total == b"0.5" for _, total, _ in lines),
      "a gzip input is not counted by its compressed 0.5 MB: %r" % lines)

# the opt-outs
for args, env, what in ((["show", stream], environment(NO_COLOR="1"), "NO_COLOR=1"),
                        (["show", stream], environment(TERM="dumb"), "TERM=dumb"),
                        (["show", "--quiet", stream], environment(), "--quiet"),
                        (["show", "-q", stream], environment(), "-q"),
                        (["check", "-q", "-b", os.path.join(fixtures, "budgets", "release.json"),
                          stream], environment(), "check -q")):
    code, out, err = on_terminal(args, env)
    check(b"perfgate: reading" not in err, "a progress line with %s" % what)

# a diagnostic while the line is up: the line is erased first
with tempfile.TemporaryDirectory() as work:
    bad = os.path.join(work, "with-bad-lines.json")
    with open(stream, "rb") as f:
        data = f.read().splitlines(keepends=True)
    with open(bad, "wb") as f:
        f.writelines(data[:5000] + [b'{"this is": "not k6"\n'] + data[5000:])
    code, out, err = on_terminal(["show", bad], environment())
    check(LINE.search(err) is not None, "no progress line on the input with a bad line")
    at = err.find(b"warning")
    check(at > 0, "no warning for the bad line: %r" % err[-300:])
    if at > 0:
        before = err[:at]
        last_line = before.rfind(b"perfgate: reading")
        check(last_line < 0 or ERASE in before[last_line:],
              "a diagnostic printed beside the progress line: %r" % before[-120:])

finish("progress line")
