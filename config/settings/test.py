"""Test settings: fast hashing, local email, eager-free Celery on the configured broker."""
import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}
MEDIA_ROOT = VAR_DIR / "test-files"
LANGUAGE_CODE = "zh-hans"
