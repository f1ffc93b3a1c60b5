#!/usr/bin/env python3
"""Checks src/analysis/stats.c against scipy, through tests/stats/stats_probe.

Usage: check_stats.py STATS_PROBE

Every expected value here comes from scipy (python3-scipy), an implementation independent of
ours: binomial tails, the order statistics that bound a quantile (from scipy.stats.binom), the
Mann-Whitney U test (scipy.stats.mannwhitneyu on textbook and random samples), the normal
quantile, and the distributions the bootstrap draws from (Kolmogorov-Smirnov and chi-square
tests against scipy's). MSER-5 is recomputed with numpy from White's formula. Exits 77 (skip)
without scipy.
"""
import subprocess
import sys

try:
    import numpy as np
    from scipy import stats
except ImportError:
    print("SKIP: python3-scipy is not installed (apt-get install python3-scipy)")
    sys.exit(77)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def probe(lines):
    out = subprocess.run([sys.argv[1]], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert len(out) == len(lines), (len(out), len(lines))
    return out


# ---- binomial tails ----
cases = [(0, 10, 0.5), (3, 10, 0.5), (9, 10, 0.5), (950, 1000, 0.95), (940, 1000, 0.95),
         (985, 1000, 0.99), (999, 1000, 0.99), (4, 5000, 0.001), (49_000, 50_000, 0.98),
         (100, 100_000, 0.001), (500_300, 1_000_000, 0.5)]
for (k, n, p), got in zip(cases, probe([f"cdf {k} {n} {p!r}" for k, n, p in cases])):
    want = stats.binom.cdf(k, n, p)
    check(abs(float(got) - want) <= 1e-10 * max(want, 1e-300) + 1e-14,
          f"binom cdf({k}, {n}, {p}) = {got}, scipy {want}")


# ---- order-statistic ranks of a quantile ----
def want_ranks(n, q, conf):
    """lo: 1 + the largest k with P(B <= k) <= a; hi: the smallest k with P(B >= k) <= a."""
    a = (1 - conf) / 2
    k = int(stats.binom.ppf(a, n, q))  # smallest k with cdf(k) >= a
    while k >= 0 and stats.binom.cdf(k, n, q) > a:
        k -= 1
    while stats.binom.cdf(k + 1, n, q) <= a:
        k += 1
    lo = k + 1
    h = int(stats.binom.isf(a, n, q))
    while h > 0 and stats.binom.sf(h - 2, n, q) <= a:  # P(B >= h - 1)
        h -= 1
    while stats.binom.sf(h - 1, n, q) > a:  # P(B >= h)
        h += 1
    return max(lo, 0), min(h, n + 1)


rank_cases = [(n, q, c) for n in (10, 50, 72, 100, 368, 1000, 8778, 100_000)
              for q in (0.5, 0.9, 0.95, 0.99, 0.999) for c in (0.95, 0.99)]
for (n, q, c), got in zip(rank_cases, probe([f"ranks {n} {q!r} {c!r}" for n, q, c in rank_cases])):
    lo, hi, bounded = (int(v) for v in got.split())
    wlo, whi = want_ranks(n, q, c)
    check((lo, hi) == (wlo, whi) and bounded == (wlo >= 1 and whi <= n),
          f"ranks n={n} q={q} conf={c}: got {lo} {hi} {bounded}, scipy {wlo} {whi}")
    if 1 <= lo <= hi <= n:  # the coverage scipy gives these ranks
        cover = stats.binom.cdf(hi - 1, n, q) - stats.binom.cdf(lo - 1, n, q)
        check(cover >= c - 1e-12, f"ranks n={n} q={q}: coverage {cover} < {c}")
# the worked example of ../shared/ANALYSIS.md §1: n = 1000, p99 -> [X(983), X(997)]
(got,) = probe(["ranks 1000 0.99 0.95"])
check(got == "983 997 1", f"ranks n=1000 q=0.99: {got}, want 983 997")
# beyond the exact window: the normal approximation is within one rank of the exact answer
for n, q in ((50_000_000, 0.5), (100_000_000, 0.99)):
    (got,) = probe([f"ranks {n} {q!r} 0.95"])
    lo, hi, _ = (int(v) for v in got.split())
    wlo, whi = want_ranks(n, q, 0.95)
    check(abs(lo - wlo) <= 1 and abs(hi - whi) <= 1,
          f"ranks n={n} q={q} (normal): {lo} {hi}, scipy {wlo} {whi}")

# the sample sizes docs/statistics.md quotes, and that one fewer is not enough
for q, want in ((0.5, 6), (0.95, 72), (0.99, 368), (0.999, 3688)):
    got, at, below = probe([f"minn {q!r} 0.95", f"ranks {want} {q!r} 0.95",
                            f"ranks {want - 1} {q!r} 0.95"])
    check(int(got) == want, f"min n for q={q}: {got}, want {want}")
    check(at.split()[2] == "1" and below.split()[2] == "0",
          f"min n for q={q}: bounded at {want} ({at}) but not at {want - 1} ({below})")

# ---- the normal quantile ----
ps = [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9]
for p, got in zip(ps, probe([f"nq {p!r}" for p in ps])):
    want = stats.norm.ppf(p)
    check(abs(float(got) - want) <= 1e-12 * max(1, abs(want)), f"nq({p}) = {got}, scipy {want}")

# ---- Mann-Whitney U ----
rng = np.random.default_rng(20261206)
mwu_cases = [
    # a textbook example (scipy's docstring: Conover, males vs females)
    ([19, 22, 16, 29, 24], [20, 11, 17, 12]),
    ([1, 2, 3], [4, 5, 6]),               # three against three: p = 0.1 at best
    ([1, 2, 3, 4], [5, 6, 7, 8]),         # four against four: 0.0286
    ([10.1, 10.3, 9.9, 10.0, 10.2], [13.1, 12.9, 13.3, 13.0, 13.2]),
    ([30, 30, 31, 30, 29], [35, 36, 35, 35, 34]),  # ties (Locust rounds): asymptotic
    ([5.0, 5.0, 5.0], [5.0, 5.0, 5.0]),  # all equal
    list(rng.lognormal(3, 0.5, 8)), list(rng.lognormal(3.1, 0.5, 20)),
]
mwu_pairs = [(mwu_cases[i], mwu_cases[i + 1]) if isinstance(mwu_cases[i], list) and
             isinstance(mwu_cases[i + 1], list) and i >= 6 else mwu_cases[i]
             for i in range(6)] + [(mwu_cases[6], mwu_cases[7])]
for sizes in ((10, 12), (30, 40), (7, 7), (2, 9)):
    mwu_pairs.append((list(rng.normal(0, 1, sizes[0])), list(rng.normal(0.4, 1, sizes[1]))))
lines = ["mwu " + " ".join(repr(float(v)) for v in x) + " ; " + " ".join(repr(float(v)) for v in y)
         for x, y in mwu_pairs]
for (x, y), got in zip(mwu_pairs, probe(lines)):
    u, p, exact = got.split()
    res = stats.mannwhitneyu(x, y, alternative="two-sided")
    check(float(u) == res.statistic and abs(float(p) - res.pvalue) <= 1e-9 * res.pvalue + 1e-15,
          f"mwu {x} vs {y}: U={u} p={p}, scipy U={res.statistic} p={res.pvalue}")
for alpha in (0.05, 0.01):
    (got,) = probe([f"mwumin {alpha}"])
    n = int(got)
    at = stats.mannwhitneyu(range(n), range(n, 2 * n)).pvalue
    below = stats.mannwhitneyu(range(n - 1), range(n - 1, 2 * n - 2)).pvalue
    check(at <= alpha < below, f"mwumin {alpha} = {n}: scipy p at n {at}, at n-1 {below}")

# ---- the bootstrap's distributions ----
def draws(cmd):
    (got,) = probe([cmd])
    return np.array([float(v) for v in got.split()])


for a, b in ((3, 5), (0.7, 2.5), (950, 51)):
    v = draws(f"beta {a} {b} 20000 7")
    p = stats.kstest(v, stats.beta(a, b).cdf).pvalue
    check(p > 1e-3, f"Beta({a}, {b}) draws: KS p = {p}")
for k in (0.5, 1, 7.3):
    v = draws(f"gamma {k} 20000 11")
    p = stats.kstest(v, stats.gamma(k).cdf).pvalue
    check(p > 1e-3, f"Gamma({k}) draws: KS p = {p}")
for n, p in ((100, 0.03), (40, 0.9), (8700, 0.002)):  # the exact (waiting-time) path
    v = draws(f"binom {n} {p} 20000 13").astype(int)
    ks = np.arange(0, n + 1)
    expected = stats.binom.pmf(ks, n, p) * len(v)
    observed = np.bincount(v, minlength=n + 1)
    keep = expected >= 5  # pool the thin tails into their neighbours
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    chi = stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue
    check(chi > 1e-3, f"Binomial({n}, {p}) draws: chi-square p = {chi}")
v = draws("binom 10000 0.4 20000 17")  # the normal path: mean and variance
check(abs(v.mean() - 4000) < 4 * np.sqrt(2400 / len(v)) and abs(v.var() / 2400 - 1) < 0.05,
      f"Binomial(10000, 0.4) draws: mean {v.mean()}, variance {v.var()}")


# ---- MSER-5 ----
def mser5(x):
    k = len(x) // 5
    if k < 4:
        return None
    z = np.asarray(x[:5 * k], dtype=float).reshape(k, 5).mean(axis=1)
    keep = min(5, k // 4)
    values = [((z[d:] - z[d:].mean()) ** 2).sum() / (k - d) ** 2 for d in range(k - keep)]
    d = int(np.argmin(values))
    tail = z[d:]
    if len(tail) >= 4:  # still trending after the cut: no steady state
        fit = stats.linregress(np.arange(len(tail)), tail)
        if fit.stderr == 0 and fit.slope != 0 or fit.stderr > 0 and abs(fit.slope / fit.stderr) > 4.5:
            return None
    return 5 * d


series = {
    "a 30-interval warm-up at 3x": np.concatenate([60 + rng.normal(0, 3, 30),
                                                    20 + rng.normal(0, 3, 170)]),
    "steady from the start": 20 + rng.normal(0, 3, 200),
    "steady, 30 intervals": 20 + rng.normal(0, 3, 30),
    "a decaying warm-up": 20 + 40 * np.exp(-np.arange(120) / 8) + rng.normal(0, 1, 120),
    "rising to the end (no steady state)": np.arange(100, dtype=float) + rng.normal(0, 1, 100),
    "too short": np.array([5.0, 6, 7, 8, 9, 10, 11]),
}
for name, x in series.items():
    (got,) = probe(["mser " + " ".join(repr(float(v)) for v in x)])
    found, cut = (int(v) for v in got.split())
    want = mser5(list(x))
    check((found == 1 and cut == want) if want is not None else found == 0,
          f"MSER-5 on {name}: found={found} cut={cut}, numpy {want}")
    if name.startswith("a 30"):
        check(cut == 30, f"MSER-5 cuts the 30-interval warm-up at {cut}")

# ---- the Universal Scalability Law fit against scipy.optimize.curve_fit (bounded, TRF) ----
from scipy.optimize import curve_fit


def usl(n, lam, sigma, kappa):
    return lam * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


# k6 v0.46 http_reqs rates of ../shared/k6-runs/usl-vu1 ... usl-vu64 (summary-export.json),
# a server built to follow the USL with S = 8 ms, sigma = 0.03, kappa = 0.001
K6_USL = [(1, 105.33729643637172), (2, 218.990366259927), (4, 445.276578104498),
          (8, 782.2063895887956), (12, 1050.339157285824), (16, 1198.5630719531284),
          (24, 1382.1947298788625), (32, 1401.2240964009375), (48, 1302.4387859412052),
          (64, 1166.6978794401584)]
usl_sets = {"k6 usl-vu1..64": K6_USL}
for i, (lam, sig, kap) in enumerate(((100, 0.05, 0.002), (50, 0.1, 0.0005), (200, 0.02, 0.0))):
    loads = np.array([1, 2, 4, 8, 16, 24, 32, 48, 64, 96.0])
    usl_sets[f"synthetic {lam}/{sig}/{kap}"] = list(zip(
        loads, usl(loads, lam, sig, kap) * (1 + rng.normal(0, 0.02, len(loads)))))
# where the optimum lies on the box: sigma and kappa at their upper bound 1 (throughput
# falling from the first client), and both at 0 (linear scaling), found by an independent
# review: the fit must reach scipy's residual there too
usl_sets["on the bounds, sigma = kappa = 1"] = [(1, 100), (2, 40), (4, 15), (8, 6), (12, 4),
                                                 (16, 3)]
lin_rng = np.random.default_rng(7)
lin_n = np.array([1, 2, 4, 8, 12, 16, 24, 32, 48, 64.0])
usl_sets["linear, sigma = kappa = 0"] = list(zip(lin_n, 100 * lin_n *
                                                 (1 + lin_rng.normal(0, 0.01, len(lin_n)))))
for name, points in usl_sets.items():
    n = np.array([p[0] for p in points], dtype=float)
    x = np.array([p[1] for p in points], dtype=float)
    (got,) = probe(["usl " + " ".join(f"{a!r} {b!r}" for a, b in zip(n, x))])
    v = [float(t) for t in got.split()]
    want, cov = curve_fit(usl, n, x, p0=[x[0] / n[0], 0.01, 0.001],
                          bounds=([0, 0, 0], [np.inf, 1, 1]), ftol=1e-15, xtol=1e-15)
    se = np.sqrt(np.diag(cov))
    for k, label in enumerate(("lambda", "sigma", "kappa")):
        tol = 1e-3 * abs(want[k]) + 1e-6 * abs(want[0]) * (k == 0) + 1e-7
        check(abs(v[k] - want[k]) <= tol,
              f"USL {name}: {label} {v[k]}, scipy {want[k]}")
        if want[k] > 1e-6:  # a parameter on its bound has no meaningful standard error
            check(abs(v[3 + k] - se[k]) <= 0.02 * se[k],
                  f"USL {name}: se({label}) {v[3 + k]}, scipy {se[k]}")
    r2 = 1 - ((x - usl(n, *want)) ** 2).sum() / ((x - x.mean()) ** 2).sum()
    check(abs(v[8] - r2) < 1e-6, f"USL {name}: R2 {v[8]}, {r2}")
# the constructed server: sigma 0.03, kappa 0.001, N* = sqrt(0.97 / 0.001) = 31.1
(got,) = probe(["usl " + " ".join(f"{a!r} {b!r}" for a, b in K6_USL)])
v = [float(t) for t in got.split()]
check(abs(v[1] - 0.03) < 0.015 and abs(v[2] - 0.001) < 0.0002 and abs(v[6] - 31.1) < 2,
      f"USL k6: sigma {v[1]}, kappa {v[2]}, N* {v[6]} vs the constructed 0.03, 0.001, 31.1")
# a recorded reference: the R package usl's own test of coef() (github.com/smoeding/usl,
# tests/coef.R and its recorded output tests/coef.Rout.save, made with R 3.6.2), whose six
# points print alpha (sigma) 0.02, beta (kappa) 0.02 and gamma (lambda) 1.00 at 3 digits
(got,) = probe(["usl 1 1 2 1.8868 4 3.0769 6 3.5294 8 3.5398 10 3.3557"])
v = [float(t) for t in got.split()]
check([float(f"{t:.3g}") for t in v[:3]] == [1.00, 0.02, 0.02],
      f"USL on the R package's coef.R points: lambda, sigma, kappa {v[:3]}; R prints 1.00, "
      f"0.02, 0.02")
(got,) = probe(["usl 1 100 2 190 4 350 8 600 16 900"])
check(got.split()[-1] == "0", f"USL with 5 points is refused: {got}")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("stats: every check agrees with scipy")
