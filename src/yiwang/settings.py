"""Yiwang settings: every value comes from the environment, with safe local defaults."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from yiwang.core.env import env_bool, env_int, env_list, env_str, queue_settings
from yiwang.core.file_modes import private_database, private_directory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("YIWANG_VAR_DIR", str(BASE_DIR / "var")))
# The database, documents and local keys live here: 0700, and existing checkouts tightened at start.
private_directory(VAR_DIR)


def _local_secret_key() -> str:
    # A key generated once per checkout, kept under var/ (ignored by git): never a key in the repo.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _local_field_key() -> str:
    # Encrypts secrets kept in the database (departments' signing keys). Generated once per checkout
    # under var/ like the secret key; production sets YIWANG_FIELD_KEY (or YIWANG_FIELD_KEY_FILE) and
    # keeps it: losing it makes every stored private key unusable.
    key_file = VAR_DIR / "field_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("YIWANG_SECRET_KEY") or _local_secret_key()
YIWANG_FIELD_KEY = env_str("YIWANG_FIELD_KEY") or _local_field_key()
DEBUG = env_bool("YIWANG_DEBUG", False)
ALLOWED_HOSTS = env_list("YIWANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("YIWANG_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "yiwang.accounts.apps.YiwangAdminConfig",  # django.contrib.admin under the one policy
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    "corsheaders",
    "yiwang.core",
    "yiwang.accounts",
    "yiwang.calendar",
    "yiwang.catalog",
    "yiwang.assistant",
    "yiwang.documents",
    "yiwang.licences",
    "yiwang.cases",
    "yiwang.sharing",
    "yiwang.notifications",
    "yiwang.audit",
    "yiwang.kiosk",
    "yiwang.feedback",
    "yiwang.ops",
    "yiwang.channels",
    "yiwang.api",
    "yiwang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yiwang.core.headers.SecurityHeadersMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The API's error body also for what is answered around it (an unknown API address, a 405, a 500).
    "yiwang.core.middleware.ApiErrorBodyMiddleware",
    # NUL, lone surrogates and over-long strings refused with the field's path before any view runs.
    "yiwang.core.middleware.TextInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A person working for a company they hold a mandate of: request.user is the company.
    "yiwang.accounts.acting.ActingEntityMiddleware",
    # Who and from where, for the audit trail: bound for the request, cleared after the response.
    "yiwang.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Skipped for API calls that carry a Bearer token (core.handlers): they guard or serve browsers only.
BROWSER_ONLY_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.channels.identity.identity",
            ],
        },
    },
]

# Embedded SQLite under var/ by default; DATABASE_URL selects PostgreSQL (psycopg 3).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.postgresql":
    _db["OPTIONS"] = {
        # Parameters bound by the server, and statements prepared after their fifth use on a connection:
        # repeated queries then cost PostgreSQL no parse or plan. Safe with persistent connections and
        # psycopg's pool (a connection keeps its statements); set 0 to turn preparing off behind PgBouncer.
        "server_side_binding": True,
        "prepare_threshold": env_int("YIWANG_DB_PREPARE_THRESHOLD", 5) or None,
    }
    if env_bool("YIWANG_DB_POOL", False):
        _db["CONN_MAX_AGE"] = 0  # the pool, not persistent connections, reuses them
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("YIWANG_DB_POOL_MIN", 2),
            "max_size": env_int("YIWANG_DB_POOL_MAX", 20),
            "timeout": 10,
        }
    else:
        # Each server thread keeps a connection of its own from request to request (Django's persistent
        # connections), renewed every 10 minutes: no checkout and return per request, which cost a
        # tenth of a status read's CPU through the pool. A connection found broken after an error is
        # closed when that request ends, as the pool would discard it.
        _db["CONN_MAX_AGE"] = 600
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] and _db["NAME"] != ":memory:" and not str(_db["NAME"]).startswith("file:"):
        # Created 0600 before the first connection would create it under the umask (0644).
        private_database(Path(_db["NAME"]))
    # WAL + a busy timeout let one writer and many readers share the file without "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "email")},
    },
    {"NAME": "yiwang.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yiwang.accounts.passwords.NotPersonalNumberValidator"},
    {"NAME": "yiwang.accounts.passwords.MixedCharactersValidator"},
]
AUTHENTICATION_BACKENDS = [
    "yiwang.accounts.backends.IdentifierBackend",  # username, or a person's ID number
]
# Sign-in throttling (等保三级), the rule owned by accounts.lockout: failures slow down one account from
# one address with growing delays, cap what one address may fail across accounts, and lock an account
# failed from many addresses until the window clerk unlocks it in person.
YIWANG_LOGIN_FREE_FAILURES = env_int("YIWANG_LOGIN_FREE_FAILURES", 5)
YIWANG_LOGIN_DELAYS_MINUTES = [
    int(m) for m in env_list("YIWANG_LOGIN_DELAYS_MINUTES", ["1", "5", "15", "60", "240"])
]
YIWANG_LOGIN_FAILURES_PER_ADDRESS = env_int("YIWANG_LOGIN_FAILURES_PER_ADDRESS", 50)
YIWANG_LOGIN_ADDRESS_WINDOW_MINUTES = env_int("YIWANG_LOGIN_ADDRESS_WINDOW_MINUTES", 60)
# Above what one address can reach in a day under its delays (15 with the defaults): many addresses.
YIWANG_LOGIN_ACCOUNT_FAILURES = env_int("YIWANG_LOGIN_ACCOUNT_FAILURES", 50)
YIWANG_LOGIN_ACCOUNT_LOCK_MINUTES = [
    int(m) for m in env_list("YIWANG_LOGIN_ACCOUNT_LOCK_MINUTES", ["15", "60", "240", "1440"])
]
# Sessions end after a working day, or when the browser closes.
SESSION_COOKIE_AGE = env_int("YIWANG_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# CORS: no other origin may call the API from a browser unless listed here.
CORS_ALLOWED_ORIGINS = env_list("YIWANG_CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed for the audit trail's
# client address; empty: the peer's own address is recorded.
YIWANG_TRUSTED_PROXIES = env_list("YIWANG_TRUSTED_PROXIES", [])
CORS_ALLOW_CREDENTIALS = False
LOGIN_URL = "/accounts/login/"

LANGUAGE_CODE = env_str("YIWANG_LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = env_str("YIWANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("YIWANG_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Documents in S3-compatible object storage (MinIO, Ceph, a cloud's OSS) when a bucket is named.
if env_str("YIWANG_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("YIWANG_S3_BUCKET"),
            "endpoint_url": env_str("YIWANG_S3_ENDPOINT_URL") or None,
            "region_name": env_str("YIWANG_S3_REGION") or None,
            "access_key": env_str("YIWANG_S3_ACCESS_KEY") or None,
            "secret_key": env_str("YIWANG_S3_SECRET_KEY") or None,
            "default_acl": None,  # private: documents are served through the API, never publicly
            "querystring_auth": True,
            "file_overwrite": False,
            # A document read spools to a temporary file past this, not into memory whole.
            "max_memory_size": 1024 * 1024,
        },
    }

# Stored files (documents, sealed with SM4 anyway) readable by the service's account only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Uploaded materials (documents app): one limit per file, enforced while Django receives the upload.
YIWANG_UPLOAD_MAX_BYTES = env_int("YIWANG_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# A day's uploads per account (count, bytes; 0: no limit), past which uploads answer 429 until midnight.
# Staff get their own, higher limits: a window clerk scans every paper of every applicant of the day,
# yet a runaway scanner script or a stolen staff login must still not fill the disk.
YIWANG_UPLOAD_DAILY_COUNT = env_int("YIWANG_UPLOAD_DAILY_COUNT", 100)
YIWANG_UPLOAD_DAILY_BYTES = env_int("YIWANG_UPLOAD_DAILY_BYTES", 200 * 1024 * 1024)
YIWANG_UPLOAD_DAILY_COUNT_STAFF = env_int("YIWANG_UPLOAD_DAILY_COUNT_STAFF", 2000)
YIWANG_UPLOAD_DAILY_BYTES_STAFF = env_int("YIWANG_UPLOAD_DAILY_BYTES_STAFF", 4 * 1024 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "yiwang.documents.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Production behind TLS: one switch for HSTS (a year, subdomains too), cookies sent over HTTPS only, and
# a redirect of plain HTTP. The TLS-terminating proxy tells the scheme in X-Forwarded-Proto: it must set
# that header itself (overwriting a client's), or a client could claim HTTPS. Off: local HTTP works.
YIWANG_HTTPS = env_bool("YIWANG_HTTPS", False)
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if YIWANG_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = YIWANG_HTTPS
SECURE_SSL_REDIRECT = YIWANG_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if YIWANG_HTTPS else None
SESSION_COOKIE_SECURE = YIWANG_HTTPS or env_bool("YIWANG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Region the platform serves (GB/T 2260), used for case numbers and as the default of new records.
YIWANG_REGION_CODE = env_str("YIWANG_REGION_CODE", "330100")
YIWANG_REGION_NAME = env_str("YIWANG_REGION_NAME", "示范市")
YIWANG_PAGE_SIZE = env_int("YIWANG_PAGE_SIZE", 20)
YIWANG_API_TOKEN_SECONDS = env_int("YIWANG_API_TOKEN_SECONDS", 12 * 3600)
# Hash chains of the audit trail (audit.chain): appends to different chains do not wait for each other.
# SQLite writes one transaction at a time anyway, so one chain there.
YIWANG_AUDIT_CHAINS = env_int(
    "YIWANG_AUDIT_CHAINS", 8 if _db["ENGINE"] == "django.db.backends.postgresql" else 1
)
# 电子监察: yellow when at most this share of the promised time is left (STANDARDS.md §6; configurable).
YIWANG_WARNING_YELLOW_SHARE = float(env_str("YIWANG_WARNING_YELLOW_SHARE", "0.2"))
# 行政许可法 §42: the statutory extension, in working days, granted once with a head's approval.
YIWANG_EXTENSION_DAYS = env_int("YIWANG_EXTENSION_DAYS", 10)
# 告知承诺: working days a department has to check a pledge after acceptance (事后核查).
YIWANG_PLEDGE_CHECK_DAYS = env_int("YIWANG_PLEDGE_CHECK_DAYS", 20)
# Pilot-era codes that fail the GB 32100 check yet are legally in use (comma-separated).
YIWANG_USCC_WHITELIST = env_list("YIWANG_USCC_WHITELIST", [])
# 自助终端: the ID-card reader plugin (yiwang.channels.kiosk.card_readers) and the idle sign-out, in seconds.
YIWANG_KIOSK_CARD_READER = env_str("YIWANG_KIOSK_CARD_READER", "keypad")
# 实名核验: a provider that checks name + ID number (accounts.verification); empty: none configured.
YIWANG_REALNAME_PROVIDER = env_str("YIWANG_REALNAME_PROVIDER", "")
YIWANG_REALNAME_URL = env_str("YIWANG_REALNAME_URL", "")
YIWANG_REALNAME_KEY = env_str("YIWANG_REALNAME_KEY", "")
YIWANG_REALNAME_TIMEOUT = env_int("YIWANG_REALNAME_TIMEOUT", 5)
YIWANG_KIOSK_IDLE_SECONDS = env_int("YIWANG_KIOSK_IDLE_SECONDS", 120)
# 办件进度查询 (channels.track): application numbers are sequential, so failed lookups are limited per
# number and per client address (across numbers) within a window; past either, every try is refused
# until the window ends. A service hall behind one address may need a higher per-address limit.
YIWANG_TRACK_FAILURES_PER_NUMBER = env_int("YIWANG_TRACK_FAILURES_PER_NUMBER", 5)
YIWANG_TRACK_FAILURES_PER_ADDRESS = env_int("YIWANG_TRACK_FAILURES_PER_ADDRESS", 20)
YIWANG_TRACK_WINDOW_MINUTES = env_int("YIWANG_TRACK_WINDOW_MINUTES", 15)
# 共享用数 (sharing.services): an applicant's reads of another holder's licences, refused without a line
# in that holder's use log, per account within a window; past it they are answered 429.
YIWANG_FOREIGN_READS_PER_ACCOUNT = env_int("YIWANG_FOREIGN_READS_PER_ACCOUNT", 10)
YIWANG_FOREIGN_READS_WINDOW_MINUTES = env_int("YIWANG_FOREIGN_READS_WINDOW_MINUTES", 15)

# 后台任务 (worker): huey. The embedded default keeps the queue in a SQLite file beside the database,
# so `make run` needs no other server; production points YIWANG_QUEUE_URL at PostgreSQL (LISTEN/NOTIFY,
# the tables huey_*) or Redis, shared by every app server and worker. See README "Worker".
YIWANG_QUEUE_URL = env_str("YIWANG_QUEUE_URL", f"sqlite:///{VAR_DIR / 'queue.sqlite3'}")
HUEY = queue_settings(YIWANG_QUEUE_URL, name=env_str("YIWANG_QUEUE_NAME", "yiwang"))
if HUEY["huey_class"] == "huey.SqliteHuey":
    private_database(Path(str(HUEY["filename"])))  # queued jobs' arguments are the platform's own
# 消息通知: SMS through the provider (notifications.gateway); no URL, no SMS (the inbox still gets all).
YIWANG_SMS_URL = env_str("YIWANG_SMS_URL", "")
YIWANG_SMS_KEY_ID = env_str("YIWANG_SMS_KEY_ID", "")
YIWANG_SMS_SECRET = env_str("YIWANG_SMS_SECRET", "")
YIWANG_SMS_SIGN = env_str("YIWANG_SMS_SIGN", "一网通办")
# Template codes as the provider registered them, e.g. '{"YW_CASE_ACCEPTED": "SMS_276410001"}'.
YIWANG_SMS_TEMPLATE_CODES: dict[str, str] = json.loads(env_str("YIWANG_SMS_TEMPLATE_CODES", "{}"))
# SMS per number per day (0: no cap); past it, messages reach the inbox only.
YIWANG_SMS_DAILY_CAP = env_int("YIWANG_SMS_DAILY_CAP", 10)
# 免打扰: non-urgent SMS written from the first hour to the second are sent at the second (local time).
YIWANG_SMS_QUIET_HOURS = tuple(int(h) for h in env_list("YIWANG_SMS_QUIET_HOURS", ["22", "8"]))
# 临期预警: the daily deadline scan runs from this hour (local) on working days.
YIWANG_DEADLINE_SCAN_HOUR = env_int("YIWANG_DEADLINE_SCAN_HOUR", 9)

# 好差评 (feedback): a case may be rated for this many days after it ends; then it counts as not rated,
# or, where the local rule deems silence 满意, as a deemed 满意 written by the worker.
YIWANG_RATING_WINDOW_DAYS = env_int("YIWANG_RATING_WINDOW_DAYS", 15)
YIWANG_RATING_DEEMED_SATISFIED = env_bool("YIWANG_RATING_DEEMED_SATISFIED", False)
# Working-day limits, per region code (the longest matching prefix wins; "" is the default):
# 差评 回访 and 整改; 诉求 签收 and the SLA per type; the days a citizen has to judge an answer.
_feedback_limits: dict[str, dict[str, int]] = json.loads(env_str("YIWANG_FEEDBACK_LIMITS", "{}"))
YIWANG_FEEDBACK_LIMITS: dict[str, dict[str, int]] = {
    **_feedback_limits,
    "": {
        "callback": 1,
        "fix": 15,
        "sign": 1,
        "consult": 1,
        "help": 5,
        "complaint": 5,
        "suggestion": 15,
        "report": 15,
        "judge": 5,
        "extension_max": 15,
        **_feedback_limits.get("", {}),
    },
}
# 诉求 routed automatically when the classifier's probability for the department reaches this.
YIWANG_FEEDBACK_AUTO_ROUTE = float(env_str("YIWANG_FEEDBACK_AUTO_ROUTE", "0.5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "yiwang.core.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("YIWANG_LOG_LEVEL", "INFO")},
    # Django's own loggers are routed through the masking handler too (its defaults bypass it).
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "jieba": {"level": "WARNING"},
        # The worker: its start and its failures, not a line per job run (YIWANG_WORKER_LOG_LEVEL=INFO).
        # Given a handler here, `run_huey` adds none of its own, which would print each line twice.
        "huey": {
            "handlers": ["console"],
            "level": env_str("YIWANG_WORKER_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "huey.consumer": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "huey.consumer.Scheduler": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Backups use a JSON fixture format that keeps times to the microsecond (see core/serializers.py).
SERIALIZATION_MODULES = {"yjson": "yiwang.core.serializers"}
