"""Production smoke test (`make smoke`, run by .ci/run): the real processes, over HTTP through nginx.

Starts a Redis of its own on a free port (never touching the shared one), a fresh PostgreSQL database on the server
SMOKE_PG (default postgres://postgres@127.0.0.1:5432), nginx from deploy/nginx/zerenlian-locations.conf, gunicorn,
two Celery workers and one beat; then logs in, submits a report with evidence, downloads it as its owner (sent by
nginx) and gets 404 as another branch, asks for a year-end export and downloads it, checks reminders go out once each
with two workers, kills a worker in the middle of an export and sees the export complete, and stops Redis, asks for
an export, starts Redis again and sees it complete. Everything it started is stopped at the end.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

# deploy/ is this script's own folder, first on sys.path.
from smoke_stack import BASE, PDF, PG, STARTED, VENV_BIN, Browser, Stack, step, wait_until


def django_setup(stack: Stack):
    os.environ.update({k: v for k, v in stack.env.items() if k not in ("PYTHONPATH",)})
    sys.path.insert(0, str(BASE))
    import django

    django.setup()


def run(stack: Stack) -> None:
    step(f"PostgreSQL database {stack.db_name}, Redis on port {stack.redis_port}")
    subprocess.run(["psql", PG + "/postgres", "-q", "-c", f'CREATE DATABASE "{stack.db_name}"'], check=True)
    # A throwaway database: commits need not wait for the disk (the migrations and the demo data commit thousands).
    subprocess.run(["psql", PG + "/postgres", "-q", "-c",
                    f'ALTER DATABASE "{stack.db_name}" SET synchronous_commit = off'], check=True)
    stack.redis_up()
    stack.manage("migrate", "--no-input", "-v", "0")
    stack.manage("seed_demo")
    stack.manage("collectstatic", "--no-input", "-v", "0")
    django_setup(stack)
    from django.db import close_old_connections

    step(f"gunicorn on {stack.web_port}, nginx on {stack.nginx_port}, two workers and beat")
    stack.start("web", [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{stack.web_port}",
                        "--workers", "2", "--timeout", "120", "--no-control-socket"])
    stack.nginx()
    stack.worker("w1")
    stack.worker("w2")
    stack.start("beat", [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                         "--schedule", str(stack.root / "beat-schedule"), "--pidfile="])
    base = f"http://127.0.0.1:{stack.nginx_port}"
    anonymous = Browser(base)
    wait_until(lambda: anonymous.get("/healthz")[0] == 200, "/healthz answers 200 through nginx", 60)
    status, body, headers, _url = anonymous.get("/healthz")
    assert json.loads(body) == {"status": "ok"}, body
    assert headers.get("X-Request-ID") and headers.get("X-Frame-Options") == "DENY", dict(headers)
    assert headers.get_all("X-Frame-Options") == ["DENY"], "each security header once (Django's, not nginx's too)"
    status, body, headers, _url = anonymous.get("/static/css/site.css")
    assert status == 200 and body == (BASE / "static" / "css" / "site.css").read_bytes(), status
    assert "max-age=604800" in headers.get_all("Cache-Control"), "the stylesheet comes from nginx, not the app"

    step("a secretary submits a report with evidence")
    from reports.models import Evidence, MonthlyReport

    secretary = Browser(base)
    secretary.login("zhengwei")
    close_old_connections()
    report = (MonthlyReport.objects.filter(organisation__name="机关第一党支部", status__in=["draft", "returned"])
              .order_by("-year", "-month").first())
    assert report is not None, "an open report for 机关第一党支部"
    status, page, _h, _u = secretary.get(f"/reports/{report.pk}/")
    assert status == 200, status
    version = re.search(rb'name="version" value="(\d+)"', page).group(1).decode()
    lines = list(report.lines.values_list("pk", flat=True))
    fields = {"version": version, "submit": "1"}
    for pk in lines:
        fields.update({f"line-{pk}-status": "done", f"line-{pk}-done_text": "已按计划完成（上线自检）"})
    status, page, _h, url = secretary.post(f"/reports/{report.pk}/", fields,
                                           {f"line-{lines[0]}-files": ("会议记录.pdf", PDF)})
    assert status == 200 and "已提交" in page.decode(), (status, url, page.decode()[-2000:])
    evidence = Evidence.objects.get(line__report=report)

    step("the owner downloads the evidence (sent by nginx); another branch gets 404")
    status, body, headers, _u = secretary.get(f"/reports/evidence/{evidence.pk}/")
    assert status == 200 and body == PDF, (status, body[:80])
    assert "X-Accel-Redirect" not in headers
    other = Browser(base)
    other.login("tangliang")
    assert other.get(f"/reports/evidence/{evidence.pk}/")[0] == 404
    assert anonymous.get("/_private/" + evidence.file.name)[0] == 404  # internal location

    def export(browser: Browser, year: int) -> int:
        status, page, _h, url = browser.post("/reports/year-end/", {"year": str(year)})
        assert status == 200, (status, url)
        return int(re.search(r"/year-end/(\d+)/", url).group(1))

    def finished(browser: Browser, pk: int):
        state = json.loads(browser.get(f"/reports/year-end/{pk}/status/")[1])
        return state if state["status"] == "done" else None

    step("a year-end export is built by a worker and downloaded")
    first = export(secretary, 2026)
    state = wait_until(lambda: finished(secretary, first), "the year-end export completes", 120)
    status, book, _h, _u = secretary.get(state["workbook_url"])
    assert status == 200 and book.startswith(b"PK"), status

    step("reminders with two workers: each delivered once")
    from notifications.models import Delivery, Reminder

    import datetime

    # The 8th: last month's reports are three days overdue, so the demo has reminders to send. Three scans at once.
    day = datetime.date.today().replace(day=8).isoformat()
    for _ in range(3):
        stack.manage("send_reminders", "--queue", "--date", day)
    wait_until(lambda: Reminder.objects.exists() and not Delivery.objects.exclude(status="sent").exists(),
               "reminders recorded and delivered", 120)
    time.sleep(3)  # let any duplicate delivery show itself
    close_old_connections()
    keys = list(Reminder.objects.values_list("content_type_id", "object_id", "stage", "recipient_id"))
    assert len(keys) == len(set(keys)), "a reminder recorded twice"
    sent_email = Delivery.objects.filter(channel="email", status="sent").select_related("reminder__recipient")
    expected: dict[str, int] = {}
    for delivery in sent_email:
        address = delivery.reminder.recipient.email
        expected[address] = expected.get(address, 0) + 1
    # A digest lists every reminder its recipient had pending when it was sent, and its subject counts them
    # (责任链提醒：N 项待办): each reminder mailed exactly once means the counts add up to the sent deliveries.
    received: dict[str, int] = {}
    for to, subject, _body in _emails(stack.mail):
        counted = re.match(r"责任链提醒：(\d+) 项待办", subject)
        assert counted, f"an email that is not a reminder digest: {subject!r} to {to}"
        received[to] = received.get(to, 0) + int(counted.group(1))
    assert received == expected, f"reminders mailed {received}, deliveries sent {expected}"
    print(f"   {len(keys)} reminders, {sent_email.count()} email deliveries, each once")

    step("a worker killed (SIGKILL) in the middle of an export: another worker completes it")
    stack.marker.write_text("slow")
    second = export(secretary, 2025)
    entered = stack.root / "slow-export.entered"
    wait_until(entered.exists, "the export reaches 30 % in a worker", 120)
    pid = int(entered.read_text())
    victim = next(name for name in ("w1", "w2") if name in stack.processes and _is_child(stack.processes[name], pid))
    stack.stop(victim, signal.SIGKILL)
    print(f"   killed {victim} (export process {pid})")
    wait_until(lambda: finished(secretary, second), "the export completes on the other worker", 180)
    stack.worker(victim)

    step("Redis stopped: an export is accepted and waits; Redis back: it completes")
    stack.stop("redis")
    status, page, _h, url = secretary.post("/reports/year-end/", {"year": "2024"})
    assert status == 200, (status, url)
    assert "消息队列暂时不可用" in page.decode(), "the page says the queue is unavailable"
    third = int(re.search(r"/year-end/(\d+)/", url).group(1))
    time.sleep(3)
    stack.redis_up()
    wait_until(lambda: finished(secretary, third), "the export asked during the outage completes", 180)

    step("/healthz for the system administrator")
    admin = Browser(base)
    admin.login("sysadmin")
    health = wait_until(lambda: (lambda h: h if h.get("worker") == h.get("beat") == "ok" else None)(
        json.loads(admin.get("/healthz")[1])), "worker and beat heartbeats fresh", 60)
    print(f"   {health}")
    print(f"SMOKE TEST PASSED in {time.monotonic() - STARTED:.0f} s", flush=True)


def _emails(folder: Path) -> list[tuple[str, str, str]]:
    """(To, decoded subject, decoded body) of every message Django's file backend wrote (separated by a dashed
    line)."""
    import email
    import email.header

    found = []
    for path in folder.iterdir():
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip() + "\n")
            parts = message.walk() if message.is_multipart() else [message]
            body = "".join((p.get_payload(decode=True) or b"").decode(p.get_content_charset() or "utf-8", "replace")
                           for p in parts if p.get_content_type() == "text/plain")
            subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
            found.append((str(message.get("To", "")), subject, body))
    return found


def _is_child(process: subprocess.Popen, pid: int) -> bool:
    if process.pid == pid:
        return True
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return False
    return parent == process.pid


def _stop_on_signal(signum, _frame):
    # SIGTERM (CI's time limit, `kill`) or SIGHUP: unwind through main()'s finally so that every process is stopped.
    raise SystemExit(f"stopped by signal {signal.Signals(signum).name}")


def main() -> int:
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop_on_signal)
    stack = Stack()
    try:
        run(stack)
        return 0
    except (AssertionError, SystemExit, KeyboardInterrupt) as failure:
        print(f"SMOKE TEST FAILED: {failure}", flush=True)
        for log in sorted(stack.root.glob("*.log")) + sorted((stack.root / "nginx" / "logs").glob("*.log")):
            print(f"---- {log.name} (last lines)")
            print("\n".join(log.read_text(errors="replace").splitlines()[-25:]))
        return 1
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
