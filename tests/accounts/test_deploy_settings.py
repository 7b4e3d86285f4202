"""Production settings: `manage.py check --deploy` is clean, and the HTTPS-only protections are on by default
outside DEBUG, each settable from the environment (HTTPS=false for a plain-http intranet demo)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SHOW = ("DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE")


def _production_env(tmp_path, **extra):
    # Built from nothing, so that nothing of the test run (HTTPS=false, DJANGO_SETTINGS_MODULE) leaks in.
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "false",
            "SECRET_KEY": "k7Qw-9vZ_xN3pL2sR8tY4uH6jB1mC5dF0gE7aK9wX2zV4nM8qP",
            "ALLOWED_HOSTS": "zerenlian.example.gov.cn", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **extra}


def _run(tmp_path, *args, **extra):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_production_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def _settings(tmp_path, **extra):
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name, None) for name in {SHOW!r}}}))")
    done = _run(tmp_path, "shell", "-c", code, **extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_https_protections_are_on_by_default_outside_debug(tmp_path):
    assert _settings(tmp_path) == {
        "DEBUG": False, "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True, "X_FRAME_OPTIONS": "DENY", "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"], "SESSION_COOKIE_AGE": 12 * 3600,
    }


def test_https_false_turns_off_only_the_https_only_protections(tmp_path):
    found = _settings(tmp_path, HTTPS="false")

    assert {k: found[k] for k in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                                  "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER")} == {
        "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0, "SECURE_PROXY_SSL_HEADER": None}
    assert (found["SECURE_CONTENT_TYPE_NOSNIFF"], found["X_FRAME_OPTIONS"]) == (True, "DENY")


def test_each_protection_is_settable_on_its_own(tmp_path):
    found = _settings(tmp_path, SECURE_HSTS_SECONDS="600", SECURE_HSTS_PRELOAD="false", X_FRAME_OPTIONS="SAMEORIGIN",
                      SECURE_REFERRER_POLICY="no-referrer", SESSION_ABSOLUTE_HOURS="8")

    assert (found["SECURE_HSTS_SECONDS"], found["SECURE_HSTS_PRELOAD"], found["X_FRAME_OPTIONS"],
            found["SECURE_REFERRER_POLICY"], found["SESSION_COOKIE_AGE"]) == (600, False, "SAMEORIGIN",
                                                                               "no-referrer", 8 * 3600)


@pytest.mark.django_db
def test_healthz_answers_a_plain_http_probe_when_https_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code in (200, 503)
    redirected = client.get("/accounts/login/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/accounts/login/"
