"""Lineage settings, driven by the environment.

With no variables set this is a development site on SQLite in ``var/``; set
``DJANGO_DEBUG=false``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and
``DATABASE_URL`` for production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# serve: or read from a file (`make serve` generates var/secret_key, mode 600,
# never committed), so the key stays off the command line and out of `ps`.
if not SECRET_KEY and os.environ.get("DJANGO_SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["DJANGO_SECRET_KEY_FILE"]).read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Our apps come first: their ready() registers models with django-reversion
# before the admin's autodiscovery lets VersionAdmin register them its own way.
INSTALLED_APPS = [
    "wiki.apps.WikiConfig",
    "people.apps.PeopleConfig",
    "sources.apps.SourcesConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "markdownx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "api.apps.ApiConfig",
]

MIDDLEWARE = [
    # serve: outermost, so the access log's user type (wiki/access_log.py) and
    # the choice of database for reads (wiki/db_router.py) cover every response.
    "wiki.access_log.mark_user_type",
    "wiki.db_router.read_your_writes",
    # Then a cached anonymous page is served before anything else runs
    # (wiki/cache.py; the response was stored with every header below).
    "wiki.cache.page_cache_middleware",
    "django.middleware.security.SecurityMiddleware",
    "wiki.middleware.refuse_nul_characters",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "wiki.middleware.permissions_policy",
    # Above WhiteNoise, so static files carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Oversized posts and forms with too many rows, refused before any view or
    # session reads them (wiki/limits.py).
    "wiki.limits.limit_requests",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it answers a locked-out login (wiki/limits.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wiki.urls"
WSGI_APPLICATION = "wiki.wsgi.application"

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
                "wiki.accounts.header_counts",
            ],
        },
    },
]

# serve: persistent connections, checked before reuse. Each worker thread keeps
# one connection open for DJANGO_CONN_MAX_AGE seconds (production default 600;
# 0 under DEBUG, where runserver's thread per request would leave a connection
# behind per thread), and CONN_HEALTH_CHECKS replaces one that died (a database
# restart, a proxy's idle timeout) instead of failing the request.
CONN_MAX_AGE = int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "600"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'lineage.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Concurrent writers wait for each other rather than fail ("database is
    # locked"): transactions take the write lock when they begin, so none has
    # to upgrade a read lock (which fails at once, whatever the timeout); a
    # writer waits up to the timeout for the lock; and in WAL mode readers
    # never wait for a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
# serve: read replicas. DATABASE_REPLICA_URLS (comma-separated database URLs)
# adds the aliases replica_1, replica_2... and a router that sends a request's
# reads to one of them, except for a client that wrote in the last
# LINEAGE_REPLICA_PIN_SECONDS (read-your-writes; see wiki/db_router.py).
# Tests point a replica at the test database with TEST = {"MIRROR": "default"}.
LINEAGE_DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    LINEAGE_DATABASE_REPLICAS.append(_alias)
LINEAGE_REPLICA_PIN_SECONDS = int(os.environ.get("LINEAGE_REPLICA_PIN_SECONDS", "10"))
if LINEAGE_DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["wiki.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "wiki:home"
LOGOUT_REDIRECT_URL = "wiki:home"

# Proposal decisions are mailed to their authors: printed to the console in
# development unless another backend is named.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "lineage@localhost")
# The site's address, for links in those emails.
LINEAGE_SITE_URL = os.environ.get("LINEAGE_SITE_URL", "http://127.0.0.1:8000").rstrip(
    "/"
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# serve: where collectstatic writes (and nginx may read) the hashed files.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

# Hosts whose images pages may show (over https), besides the site itself: the
# renderer drops other images and portraits from elsewhere are refused
# (wiki/external.py), since every reader's browser would fetch them.
LINEAGE_IMAGE_HOSTS = env_list("LINEAGE_IMAGE_HOSTS", "upload.wikimedia.org")

# A strict policy: nothing inline, nothing from elsewhere but those images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *(f"https://{host}" for host in LINEAGE_IMAGE_HOSTS)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# serve: https.  With DEBUG off the site expects to be reached over https,
# through a reverse proxy that terminates TLS and says so in X-Forwarded-Proto
# (deploy/nginx.conf): cookies are marked Secure, plain http is redirected to
# https and HSTS tells browsers to use nothing else.  DJANGO_HTTPS=false turns
# all three off for a plain-http rehearsal (`make serve` on 127.0.0.1, where a
# Secure cookie would never come back and nobody could log in); each can also
# be set on its own.  `manage.py check --deploy --fail-level WARNING` passes
# with the defaults.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", HTTPS)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", HTTPS)
# Browsers ignore HSTS on plain http and Django sends it only on https, so
# it is safe to leave on; lower it (or 0) while trying TLS out.
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only allows a submission to browsers' built-in lists
# (hstspreload.org); nothing is submitted by sending it.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if not DEBUG:
    # The reverse proxy says whether the client came over https (and must
    # overwrite any X-Forwarded-Proto the client sent: deploy/nginx.conf does).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# serve: the reverse proxies in front of the app servers (addresses or
# networks).  A request from one of them is from the client its
# X-Forwarded-For names (the nearest address not itself a proxy): the address
# the abuse limits count (wiki/limits.py) and the access log shows.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
# Browser features no page of the site uses, refused to every page (and to
# anything a page might embed): those Chromium knows (it warns in every
# page's console of a name it does not, e.g. "bluetooth").
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
        "usb", "xr-spatial-tracking", "browsing-topics",
    )
}  # fmt: skip
# Static files are for this site's pages only: no Access-Control-Allow-Origin.
WHITENOISE_ALLOW_ALL_ORIGINS = False

# django-markdownx: previews go through our one sanitising renderer, at a URL
# we mount ourselves behind login.  No upload view is mounted (CVE-2024-2319).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "wiki.markdown.markdownify"
MARKDOWNX_URLS_PATH = "/preview/markdown/"
MARKDOWNX_UPLOAD_URLS_PATH = "/preview/no-uploads/"
MARKDOWNX_SERVER_CALL_LATENCY = 400
# Editors keep their size (the reader can drag it): a long body grown to its
# full height would push the preview and the rest of the form out of view.
MARKDOWNX_EDITOR_RESIZABLE = False

# Limits on Markdown text, checked by the edit form and the preview (see
# README.md, "Limits on page text"): the size of each Markdown field
# (characters), how deep quotes and lists nest (deeper markers show as text),
# and how many [[wikilinks]] and [@citations] one field may hold.
# How search ranks (wiki/search.py): "auto" (PostgreSQL full-text search, or
# SQLite's FTS5 when it has it) or "simple" (words matched with LIKE, ranked by
# the field they are in: what SQLite without FTS5 gets).
LINEAGE_SEARCH_BACKEND = "auto"
LINEAGE_MAX_BODY_CHARS = int(os.environ.get("LINEAGE_MAX_BODY_CHARS", "200000"))
LINEAGE_MARKDOWN_MAX_NESTING = 16
LINEAGE_MARKDOWN_MAX_LINKS = 2000
# A contributor is flagged "new" in the review queue until their account is this
# many days old and this many of their proposals have been approved.
LINEAGE_NEW_ACCOUNT_DAYS = 14
LINEAGE_NEW_ACCOUNT_APPROVED = 3


# Abuse limits (wiki/limits.py; README.md, "Limits"): every limit on what
# people send, here.  Each may be set from the environment.
def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Logging in (django-axes): after this many failed attempts for one account, or
# from one address, further attempts are refused for the lockout's minutes
# (counted from the last failure); a success, or a password reset, clears them.
LINEAGE_LOGIN_FAILURES = env_int("LINEAGE_LOGIN_FAILURES", 5)
LINEAGE_LOGIN_LOCKOUT_MINUTES = env_int("LINEAGE_LOGIN_LOCKOUT_MINUTES", 15)
# Signing up: accounts made from one address in an hour.
LINEAGE_SIGNUPS_PER_ADDRESS_HOUR = env_int("LINEAGE_SIGNUPS_PER_ADDRESS_HOUR", 3)
# How long the sign-up form's question stays answerable.
LINEAGE_SIGNUP_FORM_HOURS = env_int("LINEAGE_SIGNUP_FORM_HOURS", 2)
# Proposals a contributor may have waiting at once, and file in an hour: new
# accounts (see LINEAGE_NEW_ACCOUNT_*) and others.  Moderators lift the limits
# for a contributor on their contributions page; moderators and publishers
# publish directly and are not limited.
LINEAGE_PROPOSALS_PENDING_NEW = env_int("LINEAGE_PROPOSALS_PENDING_NEW", 5)
LINEAGE_PROPOSALS_PENDING = env_int("LINEAGE_PROPOSALS_PENDING", 30)
LINEAGE_PROPOSALS_HOUR_NEW = env_int("LINEAGE_PROPOSALS_HOUR_NEW", 10)
LINEAGE_PROPOSALS_HOUR = env_int("LINEAGE_PROPOSALS_HOUR", 60)
# Comments (on proposals and talk pages): how many one account may post in an
# hour (moderators are not limited), and the length of one.
LINEAGE_COMMENTS_HOUR = env_int("LINEAGE_COMMENTS_HOUR", 30)
LINEAGE_MAX_COMMENT_CHARS = env_int("LINEAGE_MAX_COMMENT_CHARS", 10000)
# Requests: the largest form post (bytes, as sent: a 200,000-character body
# of non-Latin text is 1.8 MB percent-encoded), fields in one post, and rows
# in a form's lists (authors, affiliations, themes... all together).  Refused
# before any view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LINEAGE_MAX_POST_BYTES", 8_000_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("LINEAGE_MAX_POST_FIELDS", 3000)
LINEAGE_MAX_FORM_ROWS = env_int("LINEAGE_MAX_FORM_ROWS", 300)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LINEAGE_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LINEAGE_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "wiki.limits.client_address"
AXES_USERNAME_CALLABLE = "wiki.limits.login_username"
AXES_LOCKOUT_CALLABLE = "wiki.limits.login_locked_out"
# Failures are counted in the database, which every app server shares.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
# Only failures are recorded (every successful login would be a row).
AXES_DISABLE_ACCESS_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Bounded navigation (issue 11, wiki/registry.py NavList): how many entries
# each list on a page shows (co-authors, what links here, a theme's people...;
# the rest are on the list's "see all" page), how many entries a "see all"
# page shows at a time, and how many URLs one page of the sitemap holds (1,000
# is about 120 KB of XML; 100,000 pages make 100 sitemaps in the index, far
# under the protocol's 50,000).
LINEAGE_NAV_LIST_SIZE = 24
LINEAGE_NAV_PAGE_SIZE = 100
LINEAGE_SITEMAP_PAGE_SIZE = 1000

# Background tasks (Django's Tasks framework, issue 11): the upkeep that grows
# with the site (re-rendering the pages that link to a renamed page or cite an
# edited source, proposal mail).  By default a task runs at once, in the request
# that enqueues it after its commit (`make run`, the tests);
# LINEAGE_TASKS=database stores tasks in the database for a worker process,
# `manage.py db_worker` (`make worker`), to run: a publish returns at once.
INSTALLED_APPS += ["django_tasks_db"]
LINEAGE_TASKS = os.environ.get("LINEAGE_TASKS", "immediate").strip().lower()
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if LINEAGE_TASKS not in TASK_BACKENDS:
    raise RuntimeError(
        f"LINEAGE_TASKS must be one of {', '.join(TASK_BACKENDS)}, "
        f"not {LINEAGE_TASKS!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[LINEAGE_TASKS]}}
# A task's start and end are logged once each (not twice, through Django's
# own console handler and the root's), by a worker only: run at once, in the
# request, they would only bury the output of `make run` and `load_seed`.
LOGGING["loggers"] = {
    "django.tasks": {
        "handlers": ["console"],
        "level": "WARNING" if LINEAGE_TASKS == "immediate" else "INFO",
        "propagate": False,
    },
    # bibtexparser logs each block it cannot read; the BibTeX import shows
    # them to the moderator instead (a pasted file may hold thousands).
    "bibtexparser": {"level": "ERROR"},
}

# Caching (wiki/cache.py).  Local memory, one cache per process, unless
# CACHE_URL names a Redis server (redis://host:6379/0), which every app server
# then shares.  Cached anonymous pages are keyed by the site's content
# generation (kept in the database), so they are never stale either way.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    # faults: Redis down (a restart) is a cache miss, not an error page: what
    # it holds can be had again from the database (wiki/cache_backend.py).
    # The timeouts bound how long a request waits on a Redis that hangs.
    CACHES = {
        "default": {
            "BACKEND": "wiki.cache_backend.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
        # References formatted by the CSL processor (sources/csl.py).
        "references": {
            "BACKEND": "wiki.cache_backend.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "references",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    # Sessions read from Redis and written through to the database: a Redis
    # restart or eviction (pages share its memory) logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Bounded per process: pages are up to ~200 KB each.
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
        # References formatted by the CSL processor (sources/csl.py), apart
        # from the pages: under 1 KB each, so many more fit.
        "references": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "references",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
LINEAGE_PAGE_CACHE = env_bool("LINEAGE_PAGE_CACHE", True)
LINEAGE_PAGE_CACHE_ALIAS = "default"
# Entries of past generations are never read again; this only frees memory.
LINEAGE_PAGE_CACHE_SECONDS = int(os.environ.get("LINEAGE_PAGE_CACHE_SECONDS", "3600"))
LINEAGE_PAGE_CACHE_MAX_BYTES = 2_000_000
# Entries each process also keeps in its own memory, in front of the cache
# (never stale either: an entry never changes under its key).
LINEAGE_PAGE_CACHE_RECENT = 64
# How long a shared cache (a reverse proxy, a CDN) may hold an anonymous page
# without asking again; the generation bump cannot reach it, so 0 (revalidate
# every time, answered by a 304 from our cache) unless you accept that delay.
LINEAGE_PAGE_CACHE_SHARED_MAX_AGE = int(
    os.environ.get("LINEAGE_PAGE_CACHE_SHARED_MAX_AGE", "0")
)
# Paths never cached (besides static and media files): personal or form pages.
# The API is left to its own throttle (api/throttling.py), which a cached
# response would skip.  Link previews (/preview/<section>/<slug>/) are cached
# like pages; the Markdown preview answers a POST.
LINEAGE_PAGE_CACHE_SKIP = (
    "/admin/",
    "/accounts/",
    "/review/",
    "/preview/markdown/",
    "/api/",
)
# frag: the parts of a page view that are the same for every reader (the
# article, its JSON-LD) are cached as rendered fragments under the same
# generation, so a logged-in page (rendered every time) renders only what is
# the reader's own (wiki/cache.py, "Fragments").
LINEAGE_FRAGMENT_CACHE = env_bool("LINEAGE_FRAGMENT_CACHE", True)

# The read API (api/; README.md, "Read API"): anonymous and read-only, JSON
# only, every error as JSON, throttled per client address in the cache.
# LINEAGE_API_RATE is requests per client, e.g. "120/minute" (s, m, h, d).
LINEAGE_API_RATE = os.environ.get("LINEAGE_API_RATE", "120/minute")
LINEAGE_API_PAGE_SIZE = 20  # rows per page of a list, unless ?page_size=
LINEAGE_API_MAX_PAGE_SIZE = 100
LINEAGE_API_EMBEDDED = 20  # rows of each list a page's detail embeds
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lineage read API",
    "DESCRIPTION": "Published pages, sources, citations and history of Lineage, "
    'read-only and anonymous. See README.md, "Read API".',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {},
}
