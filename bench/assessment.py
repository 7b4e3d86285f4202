"""The annual assessment at bench scale: every 党支部 and 科室 of the data set bench.runner built, scored on reports,
report lines, rectification measures, terms and organisational life, then recomputed (reviewer entries kept).

The query count must not grow with the organisations. `python -m bench.assessment` prints one JSON line
(`--build N` first builds a fresh data set of N organisations, for running this measurement alone)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from decimal import Decimal


def measure() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.models import Indicator, Rule, Scheme
    from assessment.services import assessment_compute
    from bench import dataset
    from branches.models import Organisation

    staff = get_user_model().objects.get(username="bench-staff")
    Scheme.objects.filter(year=dataset.YEAR).delete()
    scheme = Scheme.objects.create(year=dataset.YEAR, title=f"{dataset.YEAR}年度考核方案", units_text="各党支部、各科室")
    plan = [("月报按时报送", 20, Rule.REPORTS_ON_TIME), ("清单事项完成", 20, Rule.ITEMS_DONE),
            ("整改按期销号", 15, Rule.MEASURES_ON_TIME), ("组织生活", 15, Rule.ORGLIFE), ("按期换届", 5, Rule.TERMS),
            ("述职评议", 15, Rule.VOTES), ("台账资料", 10, Rule.MANUAL)]
    Indicator.objects.bulk_create([Indicator(scheme=scheme, position=i, category="考核", name=n, points=Decimal(p),
                                             rule=r) for i, (n, p, r) in enumerate(plan)])
    runs = {}
    for name in ("compute", "recompute"):
        scheme.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            units = assessment_compute(scheme=scheme, actor=staff, as_of=dataset.TODAY)
            runs[name] = {"seconds": time.perf_counter() - start, "queries": len(queries)}
    return {"organisations": Organisation.objects.count(), "units": units, **runs}


def run(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.assessment"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_result(r: dict) -> None:
    c, w = r["compute"], r["recompute"]
    print(f"   assessment: {r['units']} units scored on 7 indicators in {c['seconds']:.2f} s, {c['queries']} queries; "
          f"recomputed in {w['seconds']:.2f} s, {w['queries']} queries")


def print_growth(small: dict, large: dict) -> None:
    a, b = small["compute"], large["compute"]
    print(f"   {'assessment':<22} units {small['units']} → {large['units']}, seconds ×{b['seconds'] / a['seconds']:.2f}, "
          f"queries {a['queries']} → {b['queries']}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        from bench.runner import bench_database_url, recreate_database

        os.environ["DATABASE_URL"] = bench_database_url()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        os.environ.setdefault("SECRET_KEY", "bench-only-secret")
        recreate_database(os.environ["DATABASE_URL"])
        import django

        django.setup()
        from django.core.management import call_command

        from bench import dataset

        call_command("migrate", verbosity=0)
        dataset.build(organisations=int(sys.argv[2]))
    print(json.dumps(measure(), default=str))
