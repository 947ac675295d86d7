"""Django settings for Ulinzi, read from ``ULINZI_*`` environment variables.

Every variable, its default and its meaning is listed in ``docs/configuration.md``; a test keeps
that document and ``SETTINGS_VARIABLES`` in step. Defaults are safe for one machine: loopback
only, debug off, a durable SQLite file under ``var/``.
"""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from ulinzi import dbcompat
from ulinzi.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_optional,
    env_path,
    env_str,
    env_tile_url,
)

# The variables this module reads; docs/configuration.md documents each one.
SETTINGS_VARIABLES = (
    "ULINZI_VAR_DIR",
    "ULINZI_DATABASE_URL",
    "ULINZI_SECRET_KEY",
    "ULINZI_FIELD_KEY_FILE",
    "ULINZI_MASK_MIN_METRES",
    "ULINZI_MASK_MAX_METRES",
    "ULINZI_DEBUG",
    "ULINZI_PRODUCTION",
    "ULINZI_ALLOWED_HOSTS",
    "ULINZI_CSRF_TRUSTED_ORIGINS",
    "ULINZI_HOST",
    "ULINZI_PORT",
    "ULINZI_TRUSTED_PROXY",
    "ULINZI_DEMO_DATA",
    "ULINZI_LOG_LEVEL",
    "ULINZI_SESSION_IDLE_MINUTES",
    "ULINZI_SESSION_MAX_HOURS",
    "ULINZI_LOGIN_FAILURE_LIMIT",
    "ULINZI_SGBV_MIN_CELL",
    "ULINZI_INTAKE_FETCH",
    "ULINZI_INTAKE_MAX_MB",
    "ULINZI_PATROL_RELEASE_DELAY_HOURS",
    "ULINZI_MAP_TILE_URL",
    "ULINZI_MAP_TILE_ATTRIBUTION",
)

# Lets admin classes and querysets carry type parameters at run time (ModelAdmin[Model]).
django_stubs_ext.monkeypatch()


def _secret_key(var_dir: Path) -> str:
    """Use ULINZI_SECRET_KEY, else a key generated once into var/ (never a fixed default)."""
    configured = env_optional("ULINZI_SECRET_KEY")
    if configured is not None:
        return configured
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


try:
    VAR_DIR = env_path("ULINZI_VAR_DIR", Path.cwd() / "var")
    DEBUG = env_bool("ULINZI_DEBUG", False)
    PRODUCTION = env_bool("ULINZI_PRODUCTION", False)
    ALLOWED_HOSTS = env_list("ULINZI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    CSRF_TRUSTED_ORIGINS = env_list("ULINZI_CSRF_TRUSTED_ORIGINS", [])
    SERVE_HOST = env_str("ULINZI_HOST", "127.0.0.1")
    SERVE_PORT = env_int("ULINZI_PORT", 8000, minimum=1, maximum=65535)
    TRUSTED_PROXY = env_optional("ULINZI_TRUSTED_PROXY")
    FIELD_KEY_FILE = env_path("ULINZI_FIELD_KEY_FILE", VAR_DIR / "field_keys")
    MASK_MIN_METRES = env_int("ULINZI_MASK_MIN_METRES", 500, minimum=100, maximum=10_000)
    MASK_MAX_METRES = env_int("ULINZI_MASK_MAX_METRES", 2_000, minimum=200, maximum=20_000)
    DEMO_DATA_DIR = env_path("ULINZI_DEMO_DATA", Path.cwd().parent / "shared" / "data")
    LOG_LEVEL = env_choice("ULINZI_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
    SESSION_IDLE_MINUTES = env_int("ULINZI_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=720)
    SESSION_MAX_HOURS = env_int("ULINZI_SESSION_MAX_HOURS", 12, minimum=1, maximum=24)
    LOGIN_FAILURE_LIMIT = env_int("ULINZI_LOGIN_FAILURE_LIMIT", 10, minimum=1, maximum=100)
    SGBV_MIN_CELL = env_int("ULINZI_SGBV_MIN_CELL", 5, minimum=3, maximum=100)
    INTAKE_FETCH = env_bool("ULINZI_INTAKE_FETCH", False)
    INTAKE_MAX_BYTES = env_int("ULINZI_INTAKE_MAX_MB", 20, minimum=1, maximum=500) * 1024 * 1024
    MAP_TILES = env_tile_url("ULINZI_MAP_TILE_URL")
    MAP_TILE_ATTRIBUTION = env_str("ULINZI_MAP_TILE_ATTRIBUTION", MAP_TILES[1] if MAP_TILES else "")
    PATROL_RELEASE_DELAY_HOURS = env_int("ULINZI_PATROL_RELEASE_DELAY_HOURS", 72, minimum=24, maximum=24 * 90)
    DATABASE_URL = env_str("ULINZI_DATABASE_URL", f"sqlite:///{VAR_DIR / 'ulinzi.sqlite3'}")
    DATABASES = {"default": dbcompat.database_config(DATABASE_URL)}
except (ConfigurationError, ValueError) as error:
    raise ImproperlyConfigured(str(error)) from error

if MASK_MIN_METRES >= MASK_MAX_METRES:
    raise ImproperlyConfigured("ULINZI_MASK_MIN_METRES must be below ULINZI_MASK_MAX_METRES")

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("ULINZI_DEBUG must be off when ULINZI_PRODUCTION is on")

SECRET_KEY = _secret_key(VAR_DIR)

INSTALLED_APPS = [
    "ulinzi.accounts.apps.UlinziAdminConfig",  # Django's admin, entered by administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "ulinzi.accounts",
    "ulinzi.sources",
    "ulinzi.forces",
    "ulinzi.incidents",
    "ulinzi.geo",
    "ulinzi.web",
    "ulinzi.audit",
    "ulinzi.protection",
    "ulinzi.patrols",
    "ulinzi.intake",
    "ulinzi.claims",
    "ulinzi.dashboard",
    "ulinzi.reports",
    "ulinzi.insights",
]

MIDDLEWARE = [
    # Outermost, so it compresses what every other layer (WhiteNoise's static files included) returns.
    "ulinzi.web.compression.CompressDataMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ulinzi.web.input_guard.RefuseNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ulinzi.accounts.middleware.SessionLimitsMiddleware",
    "ulinzi.accounts.middleware.LoginRequiredExceptApiMiddleware",
    "ulinzi.accounts.middleware.SecondFactorRequiredMiddleware",
    "ulinzi.accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ulinzi.urls"
WSGI_APPLICATION = "ulinzi.wsgi.application"

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
                "ulinzi.web.context.navigation",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B: length, not composition; 15 characters while there is no second factor.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# The second factor (accounts.mfa): wrong codes back off 1, 2, 4, 8 … seconds per device; the
# admin never shows an enrolled device's key or QR code, which would let an administrator make
# someone else's codes.
OTP_TOTP_ISSUER = "Ulinzi"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": with it Chromium sends "Origin: null" on form posts and CSRF checks refuse
# every login. "same-origin" still never sends a referrer to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # A connected deployment's tile server (ULINZI_MAP_TILE_URL) is the only other origin allowed.
        "img-src": ["'self'", "data:", *([MAP_TILES[1]] if MAP_TILES else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


def _package_static(package: str) -> Path:
    """A package's ``static/`` folder, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ImproperlyConfigured(f"the {package} package is not installed; reinstall Ulinzi")
    return Path(spec.origin).parent / "static"


STATIC_URL = "static/"
# Leaflet's files come from the django-leaflet wheel; its Django app is not installed because it
# needs GDAL, which the default install does without.
STATICFILES_DIRS = [_package_static("leaflet")]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from finders
# Serve straight from the installed packages: nothing to collect before `ulinzi run`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}
