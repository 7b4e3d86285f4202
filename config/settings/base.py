"""Settings for every environment, read from environment variables (and an optional .env file)."""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the demo's SQLite file, queue and uploads live here

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Required outside DEBUG: a production deployment must never run on a known key.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin.ZerenlianAdminConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "auditlog",
    "accounts",  # before django.contrib.auth, so that its createsuperuser (break-glass only) is the one run
    "django.contrib.auth",
    "accounts.axes_config.AxesConfig",
    "branches",
    "orglife",
    "responsibility",
    "rectification",
    "reports",
    "notifications",
    "search",
    "assessment",
    "ops",
    "oversight",
    "yearend",
    "accountability",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "common.uploads.RequestSizeLimitMiddleware",  # before anything reads the body (413 for an over-size request)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.AdministratorsToAdminMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A whole request (several evidence files at once) may not exceed this; nginx's client_max_body_size matches it.
UPLOAD_MAX_REQUEST_MB = env.int("UPLOAD_MAX_REQUEST_MB", default=50)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
            # common is not an app (no models of its own), so its template tags are named here.
            "libraries": {"months": "common.templatetags.months"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a PostgreSQL connection costs several milliseconds to open, more than most of our
# queries take, so each worker keeps its connection for CONN_MAX_AGE seconds (0 closes it after every request)
# and checks it before reuse, so a database restart costs one failed check instead of a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=60 if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process, the worker and beat share one demo file. Transactions take the
    # write lock when they begin (IMMEDIATE): a transaction that read first and then wrote would otherwise be
    # refused at once with "database is locked" when another writer got in between, whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login and session policy (等保 三级 defaults, each overridable from the environment; accounts/passwords.py).
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=10)
PASSWORD_HISTORY = env.int("PASSWORD_HISTORY", default=5)  # a new password may not be any of the last N
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)  # 0: passwords never expire
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "name", "email")}},
    {"NAME": "accounts.passwords.LengthValidator", "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "accounts.passwords.UserNameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
    {"NAME": "accounts.passwords.PasswordHistoryValidator"},
]
# The demo's public passwords (demo1234) are tolerated only while DEMO_MODE is on, and only for the accounts
# seed_demo created; outside demo mode those accounts must change their password at the next login.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
# createsuperuser is a break-glass tool: refused unless this is on, audited with the OS user and host when used.
ALLOW_BREAK_GLASS_SUPERUSER = env.bool("ALLOW_BREAK_GLASS_SUPERUSER", default=False)
# Sessions end after SESSION_IDLE_MINUTES without a request (sliding) and SESSION_ABSOLUTE_HOURS after login
# whatever the activity (accounts/sessions.py); the cookie lives as long as the absolute limit.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True

# Deployment security, on by default outside DEBUG. HTTPS=false turns the HTTPS-only ones off for a plain-http
# intranet demo (`make run`); each can still be set on its own.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring probes gunicorn directly over http
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# nginx terminates TLS and always overwrites X-Forwarded-Proto (deploy/nginx), so the header can be trusted there.
if env.bool("TRUST_X_FORWARDED_PROTO", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = env.bool("SECURE_CONTENT_TYPE_NOSNIFF", default=True)
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="same-origin")
X_FRAME_OPTIONS = env("X_FRAME_OPTIONS", default="DENY")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's target, served by nginx at /static/ (deploy/nginx); a site may keep it outside the code folder.
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Serve straight from the app and project folders, so the demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded evidence and imports live outside any public URL; views serve them after a scope check.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "files")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="zerenlian@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # a hung mail server must not hold a delivery claim

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/ (zero-setup demo).
REDIS_URL = env("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message taken by a worker that then died (SIGKILL, power cut) goes back to the queue after this many
    # seconds (tasks are acknowledged late); it must exceed the longest task, a city-scale year-end export.
    # Workers look for such messages every 10 s: kombu's default scans only every tenth look (100 s), which would
    # leave a message lost with a killed worker waiting that much longer than the visibility timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5, "max_retries": 2,
                                       "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
                                       "unacked_restore_interval": 10, "unacked_restore_throttle": 1}
else:
    CELERY_BROKER_URL = "filesystem://"
    for _folder in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat schedules, however many are started (config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"
# The schedule file records each sent task at once (not every 3 minutes): a beat that crashes right after a run
# neither sends it again nor forgets one it missed when it comes back.
CELERY_BEAT_SYNC_EVERY = 1
# How often beat asks a worker to send what the outbox kept during a broker outage (ops/outbox.py).
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)
# An uploaded table with more rows than this is checked and imported by a Celery job, not in the web request
# (common/imports/background.py); the staged file is read from MEDIA_ROOT, which the worker hosts share.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=1000)
# /healthz calls a worker or the beat stale when not seen for this long.
HEALTH_STALE_SECONDS = env.int("HEALTH_STALE_SECONDS", default=300)
# Behind nginx: private files (evidence, exports) are sent by nginx after Django's permission check, through this
# internal location (deploy/nginx/zerenlian.conf); empty: Django streams them itself (the demo).
PRIVATE_FILES_ACCEL_PREFIX = env("PRIVATE_FILES_ACCEL_PREFIX", default="")

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id) for the agency's log collector;
# the request id of a page is carried into the Celery tasks it enqueues (config/observability.py).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
# With JSON logs the worker keeps these handlers instead of installing its own plain-text ones.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Who may see an organisation: see branches/scope.py. Who reviews monthly reports is an agency setting.
AUDITLOG_INCLUDE_ALL_MODELS = False
# The models the audit log follows (django-auditlog: actor, time and changed fields). Timeline rows (ReportEvent,
# MeasureEvent, RecordEvent, ScoreChange's reasons) are themselves the record of a transition.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    # A password change is recorded (masked), so a reset by the system administrator is visible to the audit admin.
    {"model": "accounts.User", "exclude_fields": ["last_login"], "mask_fields": ["password"]},
    "accounts.RoleGrant",
    {"model": "branches.Organisation", "m2m_fields": {"covers"}},
    "branches.Person", "branches.Post", "branches.Supervision", "branches.CommitteeTerm",
    "responsibility.ResponsibilityList", "responsibility.Item", "responsibility.ItemUnit", "responsibility.Assignment",
    "reports.MonthlyReport", "reports.ReportLine", "reports.Evidence",
    "rectification.Batch", "rectification.Problem", "rectification.Measure", "rectification.MeasureUnit",
    {"model": "rectification.Evidence", "exclude_fields": ["file"]},
    "orglife.RecordType", "orglife.RequirementOverride",
    {"model": "orglife.Record", "m2m_fields": {"types", "talked_to"}},
    {"model": "orglife.Attachment", "exclude_fields": ["file"]},
    "notifications.ReminderSettings",
    {"model": "notifications.Webhook", "exclude_fields": ["url"]},  # the robot's key is a secret
    "assessment.Scheme", "assessment.Indicator", "assessment.Result", "assessment.Score",
    {"model": "assessment.ScoreChange", "exclude_fields": ["evidence"]}, "assessment.Vote", "assessment.Objection",
)
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The audit trail (audit log, admin actions, logins and failed logins, 问责 reads) stays in the database at least
# this many days; `audit_archive` (monthly, config/celery.py) moves older rows to signed, chained archive files in
# AUDIT_ARCHIVE_DIR (by default inside the private MEDIA_ROOT, which every worker host shares and `backup` copies),
# and `audit_verify` checks them. The HMAC key defaults to one derived from SECRET_KEY: set AUDIT_ARCHIVE_KEY to keep
# archives verifiable across a change of SECRET_KEY.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
AUDIT_ARCHIVE_DIR = env.path("AUDIT_ARCHIVE_DIR", default=Path(MEDIA_ROOT) / "audit-archive")
AUDIT_ARCHIVE_KEY = env("AUDIT_ARCHIVE_KEY", default="")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks out repeated failed logins
    "django.contrib.auth.backends.ModelBackend",
    "accounts.permissions.RolePermissionBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# Each parameter counted on its own: a user name is locked whatever the address, and an address across user names
# after LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off time (accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Every failed login is kept for the 审计管理员 (user name, time, address, browser): a later success or an unlock
# clears only the lockout counter (AccessAttempt), never this log; no per-user cap drops old rows (retention and
# archiving are the audit_archive command's). The admin pages are the project's own (accounts/audit_admin.py).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10**12
AXES_ENABLE_ADMIN = False

# django-import-export lets anyone into the admin import/export pages unless these are set; tie them to
# the model permissions so only roles that may change a model import it and only readers export it.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Monthly reports: due on this day of the following month; who reviews them: "staff" (机关党委/党建办),
# "inspector" (纪检) or "leader" (the 分管 leader of the organisation).
REPORT_DUE_DAY = env.int("REPORT_DUE_DAY", default=5)
REPORT_REVIEWER = env("REPORT_REVIEWER", default="staff")
# Late entry: "allow" keeps accepting a report after its deadline (recorded and scored as late); "lock" closes entry
# of a report never sent in REPORT_LOCK_DAYS days after its deadline, until a reviewer reopens it (recorded).
REPORT_LATE_ENTRY = env("REPORT_LATE_ENTRY", default="allow")
REPORT_LOCK_DAYS = env.int("REPORT_LOCK_DAYS", default=10)
# Organisational-life records (orglife): whether a secretary's record awaits confirmation by 党建办 staff; the
# first day compliance is checked (ISO date; empty: 1 January of the year of the earliest record); how many
# days before a period ends a gap is reminded of; talks a year each 班子成员 holds with each supervised head.
ORGLIFE_REVIEW = env.bool("ORGLIFE_REVIEW", default=False)
ORGLIFE_TRACKED_FROM = env("ORGLIFE_TRACKED_FROM", default="")
ORGLIFE_REMINDER_DAYS = env.int("ORGLIFE_REMINDER_DAYS", default=15)
ORGLIFE_LEADER_TALKS = env.int("ORGLIFE_LEADER_TALKS", default=2)
# Used in emails and webhook messages to link back to the site.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# 问责 records are read by the discipline side and the party secretary only; True also lets the person a record
# names read it (every read is logged either way).
ACCOUNTABILITY_SUBJECT_CAN_READ = env.bool("ACCOUNTABILITY_SUBJECT_CAN_READ", default=False)
