# Reference values for test/analytics/experiments/stats.test.ts, from the gbstats 0.8 definitions
# written out with numpy/scipy. Run: /usr/bin/python3 test/analytics/experiments/reference.py
# (Debian python3-scipy 1.10.1, numpy 1.24.2). Proportions use the population variance p(1-p),
# means the sample variance (ddof=1); Welch df from the same variances.
import numpy as np
from scipy import stats

def welch(nc, mc, vc, nt, mt, vt, alpha=0.05):
    a, b = vc / nc, vt / nt
    df = (a + b) ** 2 / (a ** 2 / (nc - 1) + b ** 2 / (nt - 1))
    q = stats.t.ppf(1 - alpha / 2, df)
    diff, se = mt - mc, np.sqrt(a + b)
    rel = mt / mc - 1
    rvar = b / mc ** 2 + mt ** 2 * a / mc ** 4
    rse = np.sqrt(rvar)
    out = dict(df=df,
        abs=(diff, diff - q * se, diff + q * se, 2 * stats.t.sf(abs(diff / se), df)),
        rel=(rel, rel - q * rse, rel + q * rse, 2 * stats.t.sf(abs(rel / rse), df)))
    z = rel / rse
    win = stats.norm.cdf(z)
    risk_c = rel * win + rse * stats.norm.pdf(z)
    out["bayes"] = (win, risk_c, risk_c - rel)
    n = nc + nt
    rho = np.sqrt((-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / 5000)
    s2 = rvar * n
    hw = np.sqrt(s2) * np.sqrt((2 * (n * rho**2 + 1)) / (n**2 * rho**2) * np.log(np.sqrt(n * rho**2 + 1) / alpha))
    p = min(1, np.sqrt(n * rho**2 + 1) * np.exp(-(rel**2 * n**2 * rho**2) / (2 * s2 * (n * rho**2 + 1))))
    out["seq"] = (rel - hw, rel + hw, p)
    return out

def show(name, o):
    print(name, "df", repr(o["df"]))
    for k in ("abs", "rel", "bayes", "seq"):
        print("  ", k, [repr(float(x)) for x in o[k]])

# 1. The case: 100/1000 vs 120/1000.
show("rates", welch(1000, 0.1, 0.09, 1000, 0.12, 0.12 * 0.88))

# 2. Revenue means: two arms of per-person revenue (many zeros), fixed by a seed.
rng = np.random.default_rng(7)
c = np.where(rng.random(4000) < 0.05, rng.gamma(2.0, 30.0, 4000), 0.0)
t = np.where(rng.random(4200) < 0.055, rng.gamma(2.0, 31.0, 4200), 0.0)
print("revenue sums", len(c), repr(c.sum()), repr((c**2).sum()), len(t), repr(t.sum()), repr((t**2).sum()))
show("revenue", welch(len(c), c.mean(), c.var(ddof=1), len(t), t.mean(), t.var(ddof=1)))
print("revenue ttest_ind welch p", repr(stats.ttest_ind(t, c, equal_var=False).pvalue))

# 3. Three variants (control A, B, C) with Holm over the absolute p-values.
from statsmodels.stats.multitest import multipletests
import statsmodels
arms = [(5000, 400), (5000, 450), (5000, 420)]
ps = []
for n, x in arms[1:]:
    o = welch(arms[0][0], arms[0][1] / arms[0][0], (arms[0][1] / arms[0][0]) * (1 - arms[0][1] / arms[0][0]), n, x / n, (x / n) * (1 - x / n))
    ps.append(o["abs"][3])
print("holm raw", [repr(p) for p in ps], "adjusted", [repr(p) for p in multipletests(ps, method="holm")[1]], "statsmodels", statsmodels.__version__)

# 4. Sample ratio mismatch: 5,200 vs 4,800 against 50/50, and 3,400/3,300/3,300 against 34/33/33.
print("srm", [repr(x) for x in stats.chisquare([5200, 4800], [5000, 5000])])
print("srm3", [repr(x) for x in stats.chisquare([3400, 3300, 3300], [10000 * .34, 10000 * .33, 10000 * .33])])

# 5. CUPED: y = 0.6 x + noise + effect, x the same metric before exposure.
rng = np.random.default_rng(11)
xc = rng.gamma(2.0, 10.0, 3000); yc = 0.6 * xc + rng.normal(0, 8, 3000)
xt = rng.gamma(2.0, 10.0, 3000); yt = 0.6 * xt + rng.normal(0, 8, 3000) + 1.0
sums = lambda x, y: [len(x), y.sum(), (y**2).sum(), x.sum(), (x**2).sum(), (x * y).sum()]
print("cuped sums c", [repr(float(v)) for v in sums(xc, yc)])
print("cuped sums t", [repr(float(v)) for v in sums(xt, yt)])
x = np.concatenate([xc, xt])
# Pooled within-arm theta.
cov = ((xc - xc.mean()) * (yc - yc.mean())).sum() + ((xt - xt.mean()) * (yt - yt.mean())).sum()
var = ((xc - xc.mean())**2).sum() + ((xt - xt.mean())**2).sum()
theta = cov / var
ac, at = yc - theta * (xc - x.mean()), yt - theta * (xt - x.mean())
vy = ((yc - yc.mean())**2).sum() + ((yt - yt.mean())**2).sum()
va = ((ac - ac.mean())**2).sum() + ((at - at.mean())**2).sum()
print("cuped theta", repr(theta), "reduction", repr(1 - va / vy))
show("cuped", welch(len(ac), ac.mean(), ac.var(ddof=1), len(at), at.mean(), at.var(ddof=1)))
show("uncorrected", welch(len(yc), yc.mean(), yc.var(ddof=1), len(yt), yt.mean(), yt.var(ddof=1)))

# 6. Power: people per variant for a 10 % relative lift at 10 % conversion, alpha 0.05, power 0.8.
z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
print("power n", repr(2 * 0.09 * z**2 / (0.01**2)))
