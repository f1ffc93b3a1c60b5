"""Shared by the Python e2e checks: count checks, print each failure, exit 1 if any failed;
RFC 3339 times and the expected points of a model JSON timeline."""
import calendar
import os
import re
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


RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                     r"(Z|z|[+-]\d{2}:\d{2})$")


def rfc3339_us(text):
    """RFC 3339 time -> µs since the epoch (fraction truncated to µs), or None."""
    m = RFC3339.match(text) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    secs = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    frac = int(((m.group(7) or "") + "000000")[:6])
    zone = m.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        secs -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return secs * 1000000 + frac


def exact_sum(values):
    """The sum perfgate keeps of a load generator's values (model_sum_add): each rounded to
    micro-units, half away from zero, the integers added, the total divided back; exact, so the
    same in any order. (Past 2^50 micro-units perfgate adds doubles; no test sum is that big.)"""
    units = 0
    for v in values:
        y = v * 1e6
        units += int(y + 0.5) if y >= 0 else int(y - 0.5)
    assert abs(units) < 2 ** 50
    return units / 1e6


def expected_points(timeline, samples):
    """The points a model JSON timeline (its interval_s and start) must hold for the samples
    [(time_us, value), ...], given in the order perfgate got them: [count, sum, min, max, last,
    last_offset_us] for an interval with samples (the last is the latest sample's, of samples
    at one time the larger; the sum is exact_sum's), [0] for one without.
    From the start's interval to the last sample's; None when a sample is before the start."""
    width = int(timeline["interval_s"]) * 1000000
    start = rfc3339_us(timeline["start"])
    buckets = {}
    for at, v in samples:
        buckets.setdefault((at - start) // width, []).append((at, v))
    if not buckets or min(buckets) < 0:
        return None
    points = []
    for i in range(max(buckets) + 1):
        b = buckets.get(i)
        if not b:
            points.append([0])
            continue
        last_at, last_v = b[0]
        for at, v in b:
            if at > last_at or (at == last_at and v > last_v):
                last_at, last_v = at, v
        vals = [v for _, v in b]
        points.append([len(b), exact_sum(vals), min(vals), max(vals), last_v,
                       last_at - start - i * width])
    return points
