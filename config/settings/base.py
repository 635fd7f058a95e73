"""Settings shared by every environment. Environment-specific modules import this."""

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, VAR_DIR, env_bool, env_list, env_str, mailers_setting

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me-in-production-please")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "partnership",
    "schools",
    "research_cycle",
    "knowledge_base",
    "oversight",
    "network_sessions",
    "placements",
    "internships",
    "induction",
    "vacancies",
    "continuum",
    "retention",
    "reviews",
    "monitoring",
    "questionnaires",
    "privacy",
    "inspiration",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.UpgradeBackendMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

# ``{% load i18n %}`` is config.cached_i18n on purpose (Django's library, a literal's
# ``{% translate %}`` remembered), which Django's check reports as two modules for one
# name. tests/test_cached_i18n.py runs the check itself: that is the only one allowed.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # after Django's own: the token masked once per request for every form
                "config.rendered_memo.csrf",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.context_processors.navigation",
                "placements.context_processors.navigation",
                "notifications.context_processors.badge",
            ],
            # ``{% url %}`` and ``|date`` of a day, answers remembered per process (issue 17)
            "builtins": ["config.cached_url", "config.cached_date"],
            # ``{% load i18n %}``: Django's library, a literal's ``{% translate %}`` remembered
            "libraries": {"i18n": "config.cached_i18n"},
        },
    },
    {
        # Plain text (mail subjects and bodies, see accounts.services.send_templated_mail):
        # nothing is HTML there, so nothing is escaped ("Lezen & schrijven", not "&amp;").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

# --- Data: PostgreSQL when DATABASE_URL is set, SQLite in var/ otherwise ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'leerbrug.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Prepared statements, for the queries that ask for them only
    # (``config.kept_query.prepared_statements``: the kept page queries, the
    # scope and the suggestions panel's ranking). psycopg prepares such a query
    # on its third run on a connection, and PostgreSQL then skips planning it (a
    # third to a half of a page's SQL time).
    # Django's own cursors bind on the client and never prepare, so a library
    # search still gets a plan for its own words. Set DB_PREPARE_THRESHOLD=off
    # behind a pooler that cannot keep prepared statements (PgBouncer before 1.21,
    # or without max_prepared_statements, in transaction mode).
    _prepare = env_str("DB_PREPARE_THRESHOLD", "2").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if _prepare in ("off", "none", "") else int(_prepare)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set, the database otherwise (never a dummy:
# allauth's rate limits live here and must be shared by every web process) ---
REDIS_URL = env_str("REDIS_URL", "")
database_cache = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "leerbrug_cache",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            # Answers while Redis is down, so failed logins are still counted.
            "FALLBACK": "database",
        },
        "database": database_cache,
    }
else:
    CACHES = {"default": database_cache}
# The signed-in pages kept until the data changes (config/page_cache.py): shared by
# every process (Redis, else the database), like the default cache.
CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}  # type: ignore[dict-item]
# Per process, for what is the same for everybody and small (the cycle picture's SVG
# per language and stage): no round trip to Redis or the database.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "leerbrug-local",
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, reading the signed-in person with a kept query; sessions
    # that name the old ones are moved over (accounts.middleware.UpgradeBackendMiddleware)
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Leerbrug] "
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so nobody switches them off by accident.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_PRESERVE_USERNAME_CASING = False
# One address per person: a new one replaces the old only once it is verified.
ACCOUNT_CHANGE_EMAIL = True
# The account page's list of active sessions records each login (allauth's
# usersessions); tracking every request would cost a write per page.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Internationalisation: Dutch first, English second ---
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-month-year on English pages too (Django's "en" formats put the month first).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and uploads (uploads are private: no MEDIA_URL is ever served) ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail: to files in var/mail/ unless EMAIL_URL says otherwise ---
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Leerbrug <noreply@leerbrug.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = mailers_setting(env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}"))

# --- Celery: Redis when REDIS_URL is set, a filesystem broker (no server) otherwise ---
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Otherwise kombu writes its exchange files to ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders, updates and cancellations: a scan every minute queues what is owed
    # (rows in the database, claimed before sending: exactly once, no ETA tasks).
    "network-sessions-scan": {"task": "network_sessions.tasks.scan_due_mail", "schedule": 60.0},
    "internships-mail-scan": {"task": "internships.tasks.scan_internship_mail", "schedule": 60.0},
    # Questionnaire invitations and their one reminder (monitoring/mail.py), the same way.
    "monitoring-scan": {"task": "monitoring.tasks.scan_invitation_mail", "schedule": 60.0},
    "network-sessions-weekly-digest": {
        "task": "network_sessions.tasks.create_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Placements: the weekly capacity reminders (keyed by week, so once each) and
    # the retries of placement mails.
    "placements-mail-scan": {"task": "placements.tasks.scan_placement_mail", "schedule": 300.0},
    # Placements start on the first day of their period and complete after its last.
    "placements-follow-the-calendar": {
        "task": "placements.tasks.follow_the_calendar",
        "schedule": crontab(minute=15, hour=1),
    },
    # Check-in reminders of the induction, through the same exactly-once rows.
    "induction-check-in-reminders": {
        "task": "induction.tasks.scan_check_in_reminders",
        "schedule": 600.0,
    },
    # The staff confirmation reminder: owed once per school leader, school and year
    # (rows, claimed before sending, as above); hourly, so a failed send is retried.
    "retention-confirmation-reminders": {
        "task": "retention.tasks.scan_confirmation_reminders",
        "schedule": crontab(minute=5),
    },
    # Thumbnails of uploaded PDFs and images whose task was lost (research_cycle).
    "research-cycle-previews-scan": {
        "task": "research_cycle.tasks.scan_pending_previews",
        "schedule": 600.0,
    },
    # Questionnaire answers: the notice a month ahead, then deletion (figures kept).
    # Notification mails (immediate ones are also queued at commit) and the digests.
    "notifications-mail-scan": {
        "task": "notifications.tasks.scan_notification_mail",
        "schedule": 60.0,
    },
    "notifications-daily-digest": {
        "task": "notifications.tasks.create_daily_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    "notifications-weekly-digest": {
        "task": "notifications.tasks.create_weekly_digests",
        "schedule": crontab(minute=15, hour=7, day_of_week="mon"),
    },
    # Privacy (issue 16): the nightly retention run also applies the questionnaires'
    # policy (it calls questionnaires.retention), so that app's own entry is gone.
    "privacy-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(minute=30, hour=3),
    },
    # The library's vocabulary for "Did you mean …?" (newly published words).
    "knowledge-base-vocabulary": {
        "task": "knowledge_base.tasks.refresh_search_vocabulary",
        "schedule": crontab(minute=45, hour=3),
    },
    # Exports whose worker died, their mails, erasures that are due.
    "privacy-scan": {"task": "privacy.tasks.scan", "schedule": 300.0},
}

# --- Forms ---
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security defaults that hold everywhere ---
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

ADMIN_URL = env_str("ADMIN_URL", "admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors_on_one_line": {"()": "config.log_filters.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # 403/404/400 as one line; 500s keep their traceback.
        "django.request": {"filters": ["client_errors_on_one_line"]},
        # WeasyPrint (the yearly review's PDF) logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Product settings
# Absolute links in emails and calendar feeds (README documents it; nothing read it before).
LEERBRUG_BASE_URL = env_str("LEERBRUG_BASE_URL", "http://localhost:8000")
LEERBRUG_INACTIVITY_DAYS = int(env_str("LEERBRUG_INACTIVITY_DAYS", "21"))
# A team in the same stage for longer than this many days needs attention (oversight).
LEERBRUG_STAGE_STUCK_DAYS = int(env_str("LEERBRUG_STAGE_STUCK_DAYS", "60"))
# A hello-world page at /hello/ for benchmarks/load.py's yardstick; off unless asked.
LEERBRUG_HELLO_VIEW = env_bool("LEERBRUG_HELLO_VIEW", False)
# Signed-in pages answered again from the cache until the database changes
# (config/page_cache.py); 0 turns it off. Needs a cache every process shares.
LEERBRUG_PAGE_CACHE_SECONDS = int(env_str("LEERBRUG_PAGE_CACHE_SECONDS", "120"))
# How many proxies of ours stand in front of the site (the TLS proxy: 1). Then a
# visitor's address is the one the outermost proxy put in X-Forwarded-For, for the
# questionnaire form's rate limit and allauth's login limits alike; with 0 the
# header is ignored (anyone can send one) and REMOTE_ADDR counts.
LEERBRUG_TRUSTED_PROXIES = int(env_str("LEERBRUG_TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = LEERBRUG_TRUSTED_PROXIES
