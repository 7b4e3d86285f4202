"""One benchmark scale, run in its own process: fresh database, data set, timings as JSON on stdout."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlparse(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("make bench needs DATABASE_URL pointing at PostgreSQL (postgres://…)")
    name = (parts.path.lstrip("/") or "postgres") + "_bench"
    return urlunparse(parts._replace(path="/" + name))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


GRID_ORGS = ("SELECT id, name, short_name, sort_order FROM branches_organisation WHERE id IN (SELECT organisation_id "
             "FROM reports_monthlyreport WHERE year = %s) ORDER BY sort_order, id")
RANKING = (
    "SELECT o.id, o.name, o.sort_order, COALESCE(d.total, 0), COALESCE(d.on_time, 0), COALESCE(d.missing, 0), "
    "COALESCE(od.n, 0) FROM branches_organisation o "
    "LEFT JOIN (SELECT organisation_id, count(*) AS total, count(*) FILTER (WHERE status IN ('submitted', 'accepted') "
    "AND days_late = 0) AS on_time, count(*) FILTER (WHERE status NOT IN ('submitted', 'accepted')) AS missing "
    "FROM reports_monthlyreport WHERE year = %s AND due_on <= %s GROUP BY organisation_id) d ON d.organisation_id = o.id "
    "LEFT JOIN (SELECT u.organisation_id, count(DISTINCT u.measure_id) AS n FROM rectification_measureunit u JOIN "
    "rectification_measure m ON m.id = u.measure_id WHERE m.state IN ('open', 'in_progress') AND m.kind <> 'long_term' "
    "AND m.due_on < %s GROUP BY u.organisation_id) od ON od.organisation_id = o.id "
    "WHERE d.organisation_id IS NOT NULL OR od.organisation_id IS NOT NULL")


def timed(fn, runs=RUNS) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def timed_side_by_side(page, baseline, runs=RUNS) -> tuple[list[float], list[float]]:
    """The page and its baseline run alternately, so that a change in the machine's load (it is shared) falls on
    both sides of the ratio alike instead of on whichever ran during it."""
    page()
    baseline()
    page_ms, baseline_ms = [], []
    for _ in range(runs):
        for fn, out in ((page, page_ms), (baseline, baseline_ms)):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return page_ms, baseline_ms


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def raw(sql_list):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in sql_list:
                cursor.execute(sql, params)
                cursor.fetchall()
    return run


def raw_queries(year: int, month: int, today, secretary_report_id: int) -> dict:
    """Per page, the SQL a hand-written page would run for the same figures: the baseline of its ratio."""
    due = today.isoformat()
    return {
        "overview": [
            ("SELECT count(*), count(*) FILTER (WHERE status IN ('submitted', 'accepted')), count(*) FILTER (WHERE "
             "status IN ('submitted', 'accepted') AND days_late = 0), count(*) FILTER (WHERE status IN ('submitted', "
             "'accepted') AND days_late > 0), count(*) FILTER (WHERE status = 'draft'), "
             "count(*) FILTER (WHERE status = 'returned'), "
             "count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'submitted') "
             "FROM reports_monthlyreport WHERE year = %s AND month = %s", [year, month]),
            ("SELECT i.category, count(*), count(*) FILTER (WHERE l.status = 'done') FROM reports_reportline l "
             "JOIN reports_monthlyreport r ON r.id = l.report_id JOIN responsibility_assignment a ON "
             "a.id = l.assignment_id JOIN responsibility_item i ON i.id = a.item_id WHERE r.year = %s AND "
             "r.month = %s GROUP BY i.category", [year, month]),
            ("SELECT CASE WHEN state = 'closed' THEN 'closed' WHEN state = 'awaiting_review' THEN 'awaiting' "
             "WHEN kind = 'long_term' THEN 'long_term' WHEN due_on < %s THEN 'overdue' WHEN state = 'in_progress' "
             "THEN 'in_progress' ELSE 'not_started' END AS s, count(*) FROM rectification_measure GROUP BY s", [due]),
            ("SELECT count(*) FROM branches_committeeterm t WHERE COALESCE(t.postponed_to, t.expires_on) <= "
             "%s::date + 180 AND NOT EXISTS "
             "(SELECT 1 FROM branches_committeeterm u WHERE u.organisation_id = t.organisation_id AND "
             "u.elected_on > t.elected_on)", [due]),
            ("SELECT month, count(*), count(*) FILTER (WHERE status IN ('submitted', 'accepted') AND days_late = 0) "
             "FROM "
             "reports_monthlyreport WHERE year = %s AND due_on <= %s GROUP BY month", [year, due]),
            ("SELECT count(*) FILTER (WHERE status = 'draft' AND due_on < %s), count(*) FILTER (WHERE status = "
             "'draft' AND due_on = %s), count(*) FILTER (WHERE status = 'draft' AND due_on > %s AND due_on <= "
             "%s::date + 3) FROM reports_monthlyreport WHERE status IN ('draft', 'returned')", [due, due, due, due]),
            ("SELECT count(*) FILTER (WHERE due_on < %s), count(*) FILTER (WHERE due_on BETWEEN %s AND %s::date + 10) "
             "FROM rectification_measure WHERE state IN ('open', 'in_progress') AND kind <> 'long_term' AND due_on "
             "IS NOT NULL", [due, due, due]),
            # the colour counts of the committee terms and of the 督办 recipients
            ("SELECT count(*) FILTER (WHERE COALESCE(t.postponed_to, t.expires_on) < %s), count(*) FILTER (WHERE "
             "COALESCE(t.postponed_to, t.expires_on) BETWEEN %s AND %s::date + 90), count(*) FILTER (WHERE "
             "COALESCE(t.postponed_to, t.expires_on) > %s::date + 90 AND COALESCE(t.postponed_to, t.expires_on) <= "
             "%s::date + 180) FROM branches_committeeterm t WHERE NOT EXISTS (SELECT 1 FROM branches_committeeterm u "
             "WHERE u.organisation_id = t.organisation_id AND u.elected_on > t.elected_on)", [due] * 5),
            ("SELECT count(*) FILTER (WHERE i.due_on < %s), count(*) FILTER (WHERE i.due_on >= %s AND "
             "(r.state = 'pending' AND r.ack_due_on < %s OR i.due_on <= %s::date + 3)) FROM accountability_recipient r "
             "JOIN accountability_instruction i ON i.id = r.instruction_id WHERE i.status = 'issued' AND r.state IN "
             "('pending', 'acknowledged', 'returned')", [due] * 4),
            # the year's 督办 (by kind; 签收 and 反馈 on time, overdue) and 约谈 (people interviewed)
            ("SELECT kind, count(*) FROM accountability_instruction WHERE year = %s AND status <> 'withdrawn' AND "
             "EXISTS (SELECT 1 FROM accountability_recipient r WHERE r.instruction_id = accountability_instruction.id) "
             "GROUP BY kind", [year]),
            ("SELECT count(*), count(*) FILTER (WHERE r.acknowledged_on <= r.ack_due_on), count(*) FILTER (WHERE "
             "r.first_replied_on <= i.due_on), count(*) FILTER (WHERE i.due_on < %s AND r.state IN ('pending', "
             "'acknowledged', 'returned')) FROM accountability_recipient r JOIN accountability_instruction i ON "
             "i.id = r.instruction_id WHERE i.year = %s AND i.status <> 'withdrawn'", [due, year]),
            ("SELECT count(*) FROM accountability_talkrecord_interviewees p JOIN accountability_talkrecord t ON "
             "t.id = p.talkrecord_id WHERE t.held_on BETWEEN %s AND %s", [f"{year}-01-01", f"{year}-12-31"]),
            # the year's assessment: its scheme, grades and leading units
            ("SELECT * FROM assessment_scheme WHERE year = %s AND status <> 'draft' LIMIT 1", [year]),
            ("SELECT r.grade, count(*) FROM assessment_result r JOIN assessment_scheme s ON s.id = r.scheme_id WHERE "
             "s.year = %s AND r.is_active GROUP BY r.grade", [year]),
            ("SELECT r.*, o.name FROM assessment_result r JOIN assessment_scheme s ON s.id = r.scheme_id JOIN "
             "branches_organisation o ON o.id = r.organisation_id WHERE s.year = %s AND r.is_active ORDER BY r.rank, "
             "o.sort_order LIMIT 10", [year]),
        ],
        # The grid page as it reads: one page of the organisations with a report in the year (and their count),
        # those organisations' reports, and one page of the ranking ordered in SQL (and its count).
        "grid": [
            (f"SELECT count(*) FROM ({GRID_ORGS}) o", [year]),
            (GRID_ORGS + " LIMIT 100", [year]),
            ("SELECT id, organisation_id, month, status, days_late, due_on, submitted_at IS NOT NULL "
             "FROM reports_monthlyreport "
             f"WHERE year = %s AND organisation_id IN (SELECT id FROM ({GRID_ORGS} LIMIT 100) page)", [year, year]),
            (f"SELECT count(*) FROM ({RANKING}) r", [year, due, due]),
            (RANKING + " ORDER BY d.on_time::float / NULLIF(d.total, 0) DESC NULLS LAST, COALESCE(d.missing, 0) + "
             "COALESCE(od.n, 0), o.sort_order, o.id LIMIT 100", [year, due, due]),
        ],
        "secretary_report": [
            ("SELECT l.*, i.content, i.category, i.standard FROM reports_reportline l JOIN responsibility_assignment a "
             "ON a.id = l.assignment_id JOIN responsibility_item i ON i.id = a.item_id WHERE l.report_id = %s "
             "ORDER BY l.position", [secretary_report_id]),
            ("SELECT * FROM reports_reportevent WHERE report_id = %s", [secretary_report_id]),
        ],
        "ledger": [
            ("SELECT count(*), count(*) FILTER (WHERE state = 'closed'), count(*) FILTER (WHERE kind = 'long_term'), "
             "count(*) FILTER (WHERE state IN ('open', 'in_progress') AND kind <> 'long_term' AND due_on < %s), "
             "count(*) FILTER (WHERE state = 'awaiting_review') FROM rectification_measure", [due]),
            ("SELECT m.*, p.seq, p.category, p.description, b.title, l.name, pe.name FROM rectification_measure m "
             "JOIN rectification_problem p ON p.id = m.problem_id JOIN rectification_batch b ON b.id = p.batch_id "
             "LEFT JOIN branches_person l ON l.id = m.leader_id LEFT JOIN branches_person pe ON pe.id = m.person_id "
             "ORDER BY b.feedback_on DESC, p.batch_id, p.position, m.position LIMIT 100", []),
            ("SELECT u.measure_id, o.name FROM rectification_measureunit u JOIN branches_organisation o ON "
             "o.id = u.organisation_id WHERE u.measure_id IN (SELECT m.id FROM rectification_measure m JOIN "
             "rectification_problem p ON p.id = m.problem_id JOIN rectification_batch b ON b.id = p.batch_id ORDER BY "
             "b.feedback_on DESC, p.batch_id, p.position, m.position LIMIT 100)", []),
            ("SELECT DISTINCT b.id, b.title FROM rectification_batch b JOIN rectification_problem p ON "
             "p.batch_id = b.id", []),
            # the leaders the filter offers
            ("SELECT id, name FROM branches_person WHERE id IN (SELECT leader_id FROM rectification_measure) "
             "ORDER BY name", []),
        ],
    }


def build(organisations: int) -> tuple[dict, float]:
    """Migrate and build the data set in a process of its own, as a server's data was never built by the server:
    the measuring process starts with only the application loaded (the builder's hundreds of thousands of model
    instances, freed or not, leave a heap that slowed every page measured after them)."""
    recreate_database(os.environ["DATABASE_URL"])
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.build_dataset", str(organisations)], env=os.environ.copy(),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1]), time.perf_counter() - start


def main(organisations: int) -> dict:
    built, build_seconds = build(organisations)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    import time_machine

    settings.ALLOWED_HOSTS = ["testserver"]
    # Keep one connection across requests, as a production server with CONN_MAX_AGE would, and so that the
    # query counts can be captured.
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    from bench import dataset

    data = dataset.Dataset(**built)

    from django.contrib.auth import get_user_model

    User = get_user_model()
    year, month, today = dataset.YEAR, 12, dataset.TODAY
    staff, secretary = Client(), Client()
    staff.force_login(User.objects.get(username=data.staff_username))
    secretary.force_login(User.objects.get(username=data.secretary_username))
    pages = {
        "overview": (staff, f"/dashboard/?year={year}&month={month}"),
        "grid": (staff, f"/dashboard/grid/?year={year}"),
        "secretary_report": (secretary, f"/reports/{data.secretary_report_id}/"),
        "secretary_pending": (secretary, "/reports/"),
        "secretary_home": (secretary, "/"),
        "secretary_my": (secretary, "/my/"),
        "ledger": (staff, "/rectification/"),
    }
    raw_sql = raw_queries(year, month, today, data.secretary_report_id)
    results = {}
    with time_machine.travel(today, tick=True):
        for name, (client, url) in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            html_bytes = len(response.content)
            executed = []
            with connection.execute_wrapper(lambda execute, sql, params, many, context: (
                    executed.append(sql), execute(sql, params, many, context))[1]):
                client.get(url)
            if name in raw_sql:
                page_ms, raw_ms = timed_side_by_side(lambda: client.get(url), raw(raw_sql[name]))
            else:
                page_ms, raw_ms = timed(lambda: client.get(url)), [0.0]
            median, p95 = summary(page_ms)
            raw_median, _ = summary(raw_ms)
            results[name] = {"median_ms": median, "p95_ms": p95, "queries": len(executed), "html_bytes": html_bytes,
                             "raw_sql_ms": raw_median, "ratio": median / raw_median if raw_median else 0.0}
        from notifications.services import reminders_scan

        start = time.perf_counter()
        scan = reminders_scan(today=today)
        scan_seconds = time.perf_counter() - start
        start = time.perf_counter()
        reminders_scan(today=today)
        rerun_seconds = time.perf_counter() - start
    from bench import workflows

    staff_user = User.objects.get(username=data.staff_username)
    imported = workflows.measure_import(staff_user)
    published = workflows.measure_publish(staff_user)
    return {"dataset": data.__dict__, "build_seconds": build_seconds, "pages": results,
            "import": imported, "publish": published, "conn_max_age": _production_conn_max_age(),
            "scan": {"candidates": len(scan.candidates), "reminders": len(scan.created), "seconds": scan_seconds,
                     "rerun_seconds": rerun_seconds}}


def _production_conn_max_age() -> int:
    """CONN_MAX_AGE as production settings read it (from DATABASE_URL, no override in the environment)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    probe = ("import django; django.setup(); from django.conf import settings; "
             "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'] if d['CONN_HEALTH_CHECKS'] else -1)")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1])), default=str))
