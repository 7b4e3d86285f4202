"""The processes and the HTTP client of the production smoke test (deploy/smoke.py): a Redis, a PostgreSQL
database, nginx, gunicorn, Celery workers and beat of its own, all stopped by `Stack.close()`."""
from __future__ import annotations
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
PDF = b"%PDF-1.4\n% smoke test evidence " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"

# A worker hook (celery -I): when the marker file exists, the first export that reaches 30 % records its process id
# and sleeps, so that the test can SIGKILL that worker in the middle of the export.
SLOW_HOOK = '''
import os
import time

from celery.signals import worker_process_init

MARKER = os.environ.get("SMOKE_SLOW_MARKER", "")


@worker_process_init.connect
def _slow_exports(**kwargs):
    from yearend import jobs

    original = jobs.write_workbook

    def slow(ys, book, progress):
        def watching(percent, stage):
            progress(percent, stage)
            if percent >= 30 and MARKER and os.path.exists(MARKER):
                os.remove(MARKER)
                with open(MARKER + ".entered", "w") as handle:
                    handle.write(str(os.getpid()))
                time.sleep(600)
        return original(ys, book, progress=watching)

    jobs.write_workbook = slow
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, what: str, timeout: float = 60, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # not ready yet
            value = None
        if value:
            return value
        time.sleep(every)
    raise SystemExit(f"FAILED: {what} (waited {timeout:.0f} s)")


STARTED = time.monotonic()


def step(text: str) -> None:
    print(f"== [{time.monotonic() - STARTED:5.1f} s] {text}", flush=True)


class Stack:
    """Every process the smoke test starts, so that all of them are stopped whatever happens."""

    def __init__(self):
        # The system's temporary folder, never the checkout (a TMPDIR pointing into it falls back to /tmp).
        temp = Path(tempfile.gettempdir()).resolve()
        if temp == BASE or BASE in temp.parents:
            temp = Path("/tmp")
        self.root = Path(tempfile.mkdtemp(prefix="zl-smoke-", dir=temp))
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis_port, self.web_port, self.nginx_port = free_port(), free_port(), free_port()
        self.db_name = f"zl_smoke_{os.getpid()}"
        self.media = self.root / "files"
        self.static = self.root / "static"
        self.mail = self.root / "mail"
        for folder in (self.media, self.static, self.mail, self.root / "nginx" / "logs"):
            folder.mkdir(parents=True)
        self.marker = self.root / "slow-export"
        (self.root / "hooks").mkdir()
        (self.root / "hooks" / "smoke_hooks.py").write_text(SLOW_HOOK)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base", "SECRET_KEY": uuid.uuid4().hex, "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": f"{PG}/{self.db_name}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0", "MEDIA_ROOT": str(self.media),
            "STATIC_ROOT": str(self.static),
            # django-environ drops the first slash of a URL's path (as in sqlite:////abs): four slashes keep it
            # absolute, otherwise the mail lands in a folder relative to the checkout.
            "EMAIL_URL": f"filemail:///{self.mail}", "PRIVATE_FILES_ACCEL_PREFIX": "/_private/",
            "LOG_FORMAT": "json", "OUTBOX_SWEEP_SECONDS": "3", "CELERY_VISIBILITY_TIMEOUT": "20",
            "SMOKE_SLOW_MARKER": str(self.marker), "PYTHONPATH": str(self.root / "hooks"),
            "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0", "HTTPS": "false", "DEMO_MODE": "true",
        }

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")  # closed with the process
        process = subprocess.Popen(command, cwd=BASE, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def manage(self, *args: str) -> str:
        done = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=BASE, env=self.env,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"FAILED: manage.py {' '.join(args)}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def redis_up(self) -> None:
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "yes", "--dir", str(self.root)])
        wait_until(lambda: subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True,
                                          text=True).stdout.strip() == "PONG", "Redis answers", 20)

    def worker(self, name: str) -> None:
        self.start(name, [str(VENV_BIN / "celery"), "-A", "config", "worker", "-n", f"{name}@%h", "--concurrency",
                          "1", "--loglevel", "INFO", "--without-mingle", "--without-gossip", "-I", "smoke_hooks"])

    def nginx(self) -> None:
        locations = (BASE / "deploy" / "nginx" / "zerenlian-locations.conf").read_text()
        locations = locations.replace("/srv/zerenlian/var/staticfiles/", f"{self.static}/")
        locations = locations.replace("/srv/zerenlian/var/files/", f"{self.media}/")
        (self.root / "nginx" / "locations.conf").write_text(locations)
        (self.root / "nginx" / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {self.root}/nginx/nginx.pid;
error_log {self.root}/nginx/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {self.root}/nginx/logs/access.log;
    client_body_temp_path {self.root}/nginx/body;
    proxy_temp_path {self.root}/nginx/proxy;
    fastcgi_temp_path {self.root}/nginx/fastcgi;
    uwsgi_temp_path {self.root}/nginx/uwsgi;
    scgi_temp_path {self.root}/nginx/scgi;
    upstream zerenlian_web {{ server 127.0.0.1:{self.web_port}; }}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        include {self.root}/nginx/locations.conf;
    }}
}}
""")
        # nginx's workers run as nobody when started as root: they must be able to read the private files.
        for path in (self.root, self.root / "nginx"):
            path.chmod(0o755)
        user = ["-g", "user root;"] if os.geteuid() == 0 else []
        self.start("nginx", ["nginx", "-p", str(self.root / "nginx"), "-c", str(self.root / "nginx" / "nginx.conf"),
                             *user])

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        if "django" in sys.modules:
            from django.apps import apps
            from django.db import connections

            if apps.ready:  # this process's own connection (the checks read the database)
                connections.close_all()
        dropped = subprocess.run(["psql", PG + "/postgres", "-q", "-c",
                                  f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'],
                                 capture_output=True, text=True)
        if dropped.returncode:
            print(f"could not drop the database {self.db_name}: {dropped.stderr.strip()}", flush=True)
        if os.environ.get("SMOKE_KEEP"):
            print(f"logs kept in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


class Browser:
    """A user's browser: cookies, CSRF, no redirect following for downloads."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + "/",
                                                                             **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.headers, response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers, path

    def get(self, path: str):
        return self.request(path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if not files:
            return self.request(path, urllib.parse.urlencode(fields).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
        for name, (filename, content) in files.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                     f"Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status, body, _headers, url = self.post("/accounts/login/", {"username": username, "password": "demo1234"})
        if status != 200 or "/accounts/login/" in url:
            raise SystemExit(f"FAILED: login as {username} ({status} {url})")
