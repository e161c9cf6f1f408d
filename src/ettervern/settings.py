"""Settings come from the environment; see docs/configuration.md.

DATABASE_URL        PostgreSQL in production (postgres://user@host:5432/name);
                    unset: an SQLite file under var/.
ETTERVERN_DEMO=1    demo mode: DEBUG on, a throwaway secret key, demo passwords allowed.
SECRET_KEY          required outside demo mode and tests.
ALLOWED_HOSTS       comma-separated; defaults to localhost names.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ETTERVERN_VAR_DIR", PROJECT_DIR / "var"))

DEMO = os.environ.get("ETTERVERN_DEMO") == "1"
TESTING = "pytest" in sys.modules or os.environ.get("ETTERVERN_TESTING") == "1"
DEBUG = DEMO and os.environ.get("ETTERVERN_DEBUG", "1") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEMO or TESTING:
        # Throwaway key: sessions do not survive a restart, which is fine for demo and tests.
        SECRET_KEY = "demo-and-test-only-" + os.urandom(24).hex()
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set outside demo mode (ETTERVERN_DEMO=1).")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "ettervern.core",
    "ettervern.access",
    "ettervern.directory",
    "ettervern.patients",
    "ettervern.pathways",
    "ettervern.catalogue",
    "ettervern.planning",
    "ettervern.portal",
    "ettervern.rights",
    "ettervern.beds",
    "ettervern.messaging",
    "ettervern.tasks",
    "ettervern.meetings",
    "ettervern.discharge",
    "ettervern.api",
    "ettervern.web",
    "ettervern.demo",
    "ettervern.accounts",
    "ettervern.oidc",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
]

# SQLite has no covering indexes; it builds audit_patient_at without INCLUDE, which serves
# its small databases well (docs/decisions/0016-audit-log-at-scale.md).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ettervern.accounts.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ettervern.accounts.middleware.IdleSessionMiddleware",
    "ettervern.web.middleware.NorwegianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ettervern.accounts.middleware.SignInGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ettervern.web.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "ettervern.urls"
# Widgets rendered without the template engine where the markup is plain (web.renderers).
FORM_RENDERER = "ettervern.web.renderers.FastWidgetRenderer"
WSGI_APPLICATION = "ettervern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ettervern.pathways.context.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'ettervern.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- Security, sessions and sign-in (ettervern.accounts; see docs/decisions/0009) ---------


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


# TOTP as a second factor for staff who sign in with a local password. On by default outside
# demo mode (and off in the test suite unless a test turns it on); `ETTERVERN_TOTP=1 make demo`.
ETTERVERN_TOTP = _env_flag("ETTERVERN_TOTP", not (DEMO or TESTING))
OTP_TOTP_ISSUER = "Ettervern"

# Failed local sign-ins within the window, per username and per client address; the address
# limit is higher because a whole clinic may share one address (NAT).
ETTERVERN_LOGIN_FAILURE_WINDOW_MINUTES = _env_int("ETTERVERN_LOGIN_FAILURE_WINDOW_MINUTES", 15)
ETTERVERN_LOGIN_MAX_FAILURES = _env_int("ETTERVERN_LOGIN_MAX_FAILURES", 5)
ETTERVERN_LOGIN_MAX_FAILURES_PER_IP = _env_int("ETTERVERN_LOGIN_MAX_FAILURES_PER_IP", 20)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use the
# connection's address). Throttling by address trusts only what those proxies wrote.
ETTERVERN_TRUSTED_PROXIES = _env_int("ETTERVERN_TRUSTED_PROXIES", 0)

# Idle sessions end (accounts.middleware.IdleSessionMiddleware pushes the expiry forward at
# most once a minute, instead of SESSION_SAVE_EVERY_REQUEST's write on every request); the
# cookie itself dies with the browser.
ETTERVERN_SESSION_IDLE_MINUTES = _env_int("ETTERVERN_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = ETTERVERN_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not (DEMO or TESTING)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not (DEMO or TESTING)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS outside demo mode (sent on HTTPS requests only, as browsers ignore it on plain http).
SECURE_HSTS_SECONDS = 0 if DEMO else _env_int("ETTERVERN_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if _env_flag("ETTERVERN_BEHIND_TLS_PROXY", False):
    # The proxy in front terminates TLS and sets X-Forwarded-Proto (and strips a client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (ettervern.accounts.security): extra origins a form may post to,
# e.g. an OpenID Connect provider's authorization endpoint (comma-separated in the env).
ETTERVERN_CSP_FORM_ACTION_EXTRA: list[str] = [
    origin.strip()
    for origin in os.environ.get("ETTERVERN_CSP_FORM_ACTION_EXTRA", "").split(",")
    if origin.strip()
]

PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Background jobs and e-mail (ettervern.messaging; docs/decisions/0024) -------------------
# Jobs (e-mails, reminders) are rows in the database (django-tasks with django-tasks-db), run
# by `ettervern worker`, which `make demo` starts beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The link in an e-mail ("there is something to read") points here.
ETTERVERN_BASE_URL = os.environ.get("ETTERVERN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ettervern <ikke-svar@ettervern.no>")
# The demo prints e-mails on the worker's console; production names its SMTP server.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEMO
    else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS", False)
