"""Helpers for the reminder tests: the demo's expected recipients, a frozen clock, the May 2022 seed."""
import contextlib
import datetime
from zoneinfo import ZoneInfo

import time_machine

from branches.demo import seed_demo
from reports.services import monthly_reports_generate
from responsibility.services import responsibility_list_import, responsibility_list_publish
from tests.conftest import DEMO_DAY, Demo
from tests.responsibility.conftest import sample

SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed_may_2022() -> int:
    """The demo agency, the sample 2022 list published by 吴敏, and the May 2022 reports generated."""
    path = sample("responsibility_list_2022.xlsx")
    seed_demo(today=DEMO_DAY)
    wumin = Demo().user("wumin")
    with path.open("rb") as handle:
        rlist = responsibility_list_import(actor=wumin, source=handle, year=2022,
                                           file_name="responsibility_list_2022.xlsx")
    responsibility_list_publish(actor=wumin, rlist=rlist)
    return monthly_reports_generate(year=2022, month=5)


@contextlib.contextmanager
def at(year, month, day, hour=10, minute=0):
    """Freeze the clock at a local (Asia/Shanghai) moment."""
    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield moment


# The May 2022 reports (17) and who runs each organisation (书记 / 科室负责人), by username.
LEADERS = {
    "中共示范市商务局机关纪律检查委员会": {"zhoutao"},
    "机关第一党支部": {"zhengwei"},
    "机关第二党支部": {"gaofeng"},
    "机关第三党支部": {"machao"},
    "离退休干部党支部": {"hanzhihua"},
    "执法一支部": {"tangliang"},
    "执法二支部": {"xumin"},
    "市商务发展服务中心党支部": {"dengtao"},
    "市口岸服务中心党支部": {"caoyang"},
    "办公室": {"zhengwei"},
    "人事科": {"fengjing"},
    "财务科": {"helei"},
    "市场运行科": {"gaofeng"},
    "电子商务科": {"linxue"},
    "对外贸易科": {"machao"},
    "外资科": {"hubing"},
    "法规科": {"luojun"},
}
# 分管 leaders reached from each organisation: its own 分管, that of the units it covers, or of a parent's.
SUPERVISORS = {
    "中共示范市商务局机关纪律检查委员会": set(),
    "机关第一党支部": {"zhaoqiang"},              # covers 办公室, 人事科, 财务科
    "机关第二党支部": {"liming"},                 # covers 市场运行科, 电子商务科
    "机关第三党支部": {"wangfang", "zhaoqiang"},  # covers 对外贸易科, 外资科 (王芳) and 法规科 (赵强)
    "离退休干部党支部": set(),
    "执法一支部": {"liming"},                     # via 执法支队党总支, which covers 执法支队 (李明)
    "执法二支部": {"liming"},
    "市商务发展服务中心党支部": {"zhaoqiang"},
    "市口岸服务中心党支部": {"wangfang"},
    "办公室": {"zhaoqiang"},
    "人事科": {"zhaoqiang"},
    "财务科": {"zhaoqiang"},
    "市场运行科": {"liming"},
    "电子商务科": {"liming"},
    "对外贸易科": {"wangfang"},
    "外资科": {"wangfang"},
    "法规科": {"zhaoqiang"},
}
INSPECTORS = {"chengang", "liuyang", "zhoutao"}
STAFF = {"sunli", "wumin"}


def keys(stage, orgs=LEADERS, people=None):
    """{(organisation, stage, username)} for every organisation given: to its leaders, or to `people(org)`."""
    people = people or (lambda org: LEADERS[org])
    return {(org, stage, username) for org in orgs for username in people(org)}


def escalated_keys(orgs=LEADERS):
    return keys("escalated", orgs, lambda org: (SUPERVISORS[org] | INSPECTORS) - LEADERS[org])


def reminder_keys(reminders):
    """{(organisation, stage, username)} of Reminder rows."""
    return {(r.organisation.name, r.stage, r.recipient.username) for r in reminders}


def fill_and_submit(report, actor):
    """Complete every line of a report and submit it, as its secretary would."""
    from reports.services import LineInput, monthly_report_save, monthly_report_submit

    lines = {line.pk: LineInput(status="done", done_text="已按要求完成。") for line in report.lines.all()}
    report = monthly_report_save(actor=actor, report=report, version=report.version, lines=lines)
    return monthly_report_submit(actor=actor, report=report)


class RobotServer:
    """A group robot on 127.0.0.1 (random port, own thread) that records what is posted to it.

    `delay` seconds before answering simulates a slow robot; `answer` is the JSON it replies with."""

    def __init__(self, delay: float = 0.0, answer: dict | None = None):
        import http.server
        import json
        import threading

        self.requests: list[dict] = []
        self.delay = delay
        self.answer = answer if answer is not None else {"errcode": 0, "errmsg": "ok"}
        self.arrived = threading.Event()
        robot = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                robot.requests.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                       "json": json.loads(body.decode("utf-8"))})
                robot.arrived.set()
                if robot.delay:
                    import time

                    time.sleep(robot.delay)
                payload = json.dumps(robot.answer).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout) before the answer
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
