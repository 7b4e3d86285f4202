"""Test settings: fast hashing, local email, eager-free Celery on the configured broker."""
import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
# The test client speaks plain http; tests/accounts/test_deploy_settings.py checks the HTTPS defaults.
os.environ.setdefault("HTTPS", "false")

from .base import *
from .base import VAR_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}
MEDIA_ROOT = VAR_DIR / "test-files"
LANGUAGE_CODE = "zh-hans"
# The suite and the browser tests log in as the demo users with their public password, as `make run` does.
DEMO_MODE = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file rather than memory, so that the Celery worker started by
    # tests/notifications/test_celery_worker.py can open it; one per test run, removed at its end.
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"zerenlian-test-{os.getpid()}.sqlite3")}
    # WAL lets the test process read while the worker writes; no fsync, since a test database need not
    # survive a power cut (a killed process still rolls back cleanly).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"}
else:
    # A test database need not survive a power cut: commits do not wait for the WAL to reach the disk (the browser
    # tests and the worker tests commit on every request; PostgreSQL still rolls back and locks as in production).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
