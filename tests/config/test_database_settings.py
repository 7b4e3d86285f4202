"""Database connection settings as production reads them from the environment."""
import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = ("import django; django.setup(); from django.conf import settings; import json; "
         "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))")


def _read(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY="probe", **extra)
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgresql_keeps_connections_with_health_checks():
    assert _read(DATABASE_URL="postgres://u@127.0.0.1:5432/zl") == [60, True]


def test_sqlite_demo_closes_connections_after_each_request():
    assert _read(DATABASE_URL="sqlite:////tmp/zl-probe.sqlite3") == [0, True]


def test_connection_age_and_checks_follow_the_environment():
    assert _read(DATABASE_URL="postgres://u@127.0.0.1:5432/zl", CONN_MAX_AGE="300",
                 CONN_HEALTH_CHECKS="false") == [300, False]
