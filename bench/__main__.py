"""`make bench`: build the city-scale data set in PostgreSQL and time the dashboards and the ledger against the raw
SQL computing the same figures, the secretary's pages, publishing and importing a list, the reminder scan and the
year-end workbook against openpyxl writing the same values; then again at ten times the organisations, and print one
table of every target: metric, goal, figure at each scale, growth between the scales, pass or fail.

Each scale runs in its own process on a fresh database (`<name>_bench`) created next to DATABASE_URL's."""
import json
import os
import subprocess
import sys
import time

from bench import assessment, yearend
from bench.runner import bench_database_url


def main() -> int:
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",") if s.strip()]
    base_orgs = int(os.environ.get("BENCH_ORGS", "600"))
    results = []
    started = time.perf_counter()
    for scale in scales:
        env = dict(os.environ, DATABASE_URL=bench_database_url(), DJANGO_SETTINGS_MODULE="config.settings.base")
        env.setdefault("SECRET_KEY", "bench-only-secret")
        # The test client speaks plain HTTP to Django, as gunicorn behind nginx does: no redirect to https.
        env.setdefault("SECURE_SSL_REDIRECT", "False")
        print(f"== {base_orgs * scale} organisations: building data set …", flush=True)
        done = subprocess.run([sys.executable, "-m", "bench.runner", str(base_orgs * scale)], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print_result(result)
        result["yearend"] = yearend.run(env)  # the data set is still there: the workbook against it
        yearend.print_result(result["yearend"])
        result["assessment"] = assessment.run(env)  # and the year's assessment scored on it
        assessment.print_result(result["assessment"])
    if len(results) > 1:
        print_growth(results[0], results[-1])
        assessment.print_growth(results[0]["assessment"], results[-1]["assessment"])
    from bench.targets import print_targets

    failed = print_targets(results, time.perf_counter() - started)
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


def print_result(r: dict) -> None:
    d = r["dataset"]
    print(f"   data: {d['organisations']} organisations, {d['reports']} reports, {d['lines']} report lines, "
          f"{d['measures']} measures (built in {r['build_seconds']:.1f} s)")
    print(f"   {'page':<22}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'raw SQL ms':>12}{'ratio':>8}")
    for name, p in r["pages"].items():
        print(f"   {name:<22}{p['median_ms']:>10.1f}{p['p95_ms']:>9.1f}{p['queries']:>9}{p['raw_sql_ms']:>12.1f}"
              f"{p['ratio']:>8.2f}")
    if r.get("scan"):
        s = r["scan"]
        print(f"   reminder scan: {s['candidates']} due/overdue objects, {s['reminders']} reminders in "
              f"{s['seconds']:.2f} s (second run, nothing new: {s['rerun_seconds']:.2f} s)")


def print_growth(small: dict, large: dict) -> None:
    factor = large["dataset"]["organisations"] / small["dataset"]["organisations"]
    print(f"== growth from {small['dataset']['organisations']} to {large['dataset']['organisations']} organisations "
          f"(×{factor:.0f})")
    for name in small["pages"]:
        a, b = small["pages"][name], large["pages"][name]
        print(f"   {name:<22} median ×{b['median_ms'] / a['median_ms']:.2f}, queries {a['queries']} → {b['queries']}, "
              f"raw SQL ×{b['raw_sql_ms'] / max(a['raw_sql_ms'], 0.001):.2f}")


if __name__ == "__main__":
    sys.exit(main())
