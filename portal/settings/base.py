"""Settings shared by every environment; deploy-time values come from the environment.

dev.py, test.py and production.py override only what differs. Every variable read
here is documented in README.md.
"""

from pathlib import Path

import dj_database_url

from .env import email_config, env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # the site's 403 page, with what to do

# badgify finds recipes by module name, so apps are listed by module, not AppConfig.
INSTALLED_APPS = [
    "portal",
    "community",
    "reviews",
    "satisfaction",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "badgify",
    "django_filters",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so every response (cached or not) gets a fresh nonce.
    "portal.csp.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.db_router.PinPrimaryMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    # JSON errors and JSON bodies for everything under /api/, whoever answers
    # (inside the size limit: a too-large body is refused before its type).
    "portal.api_contract.ApiContractMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "portal.middleware.ReadOnlyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Inside CSRF (the fresh token's cookie is set), before auth (a hit skips it).
    "portal.cache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.StaffOnlyAdminMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.cache.csrf_token_placeholder",
                "portal.middleware.read_only",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

# The embedded default needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers
    # wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not answer fails the request in seconds, not minutes,
    # and a connection kept between requests is checked before it is reused.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Candor's own apps use BigAutoField (set in their AppConfigs). The project default
# matches the migrations that third-party apps ship (badgify's use AutoField), so
# no app ever needs a migration written into site-packages.
# Read replicas (README "Running on many machines"): reads go to a replica, writes
# and every read in a request that writes go to the primary (portal.db_router).
for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica_{_n}"] = dj_database_url.parse(_url, conn_max_age=60)
    DATABASES[f"replica_{_n}"]["TEST"] = {"MIRROR": "default"}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis outage means "not cached", never a 500.
            "BACKEND": "portal.redis_cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "candor",
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.5,
                "RETRY_AFTER": 1.0,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["portal.auth_backends.EmailOrUsernameBackend"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads larger than this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Any public request declaring a larger body gets 413 before it is read
# (portal.middleware.RequestSizeLimitMiddleware): five 8 MB review photos fit.
CANDOR_MAX_REQUEST_BYTES = env_int("DJANGO_MAX_REQUEST_BYTES", 45 * 1024 * 1024)

EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(email_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Candor <community@candor.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: immediate by default so a newcomer needs no worker process;
# production sets DJANGO_TASKS_BACKEND=database and runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env_str("DJANGO_TASKS_BACKEND", "immediate")]
    }
}

WAGTAIL_SITE_NAME = "Candor"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: staff avatars would leak their email hashes to a third party (and CSP blocks it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_RESET_ENABLED = False
TAGGIT_CASE_INSENSITIVE = True

ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "candor_")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX,
            "TIMEOUT": 5,
            # Stem English word forms ("drops" finds "dropping"), as the
            # database backends do (portal.search.database).
            "INDEX_SETTINGS": {
                "settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}
            },
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.database",
            # PostgreSQL stems with its `english` config (SQLite: the porter
            # tokenizer, portal migration 0003). Changing it needs `update_index`.
            "SEARCH_CONFIG": "english",
        }
    }

# Candor's own knobs.
CANDOR_AVATAR_MAX_BYTES = 5 * 1024 * 1024
CANDOR_AVATAR_MAX_PIXELS = 40_000_000
CANDOR_AVATAR_SIZE = 256
CANDOR_API_PAGE_SIZE = 20
CANDOR_API_MAX_PAGE_SIZE = 100
CANDOR_SEARCH_PAGE_SIZE = 10
# Suggestions listed under the search box while typing (portal.views.search_suggest).
CANDOR_SEARCH_SUGGESTIONS = 6
CANDOR_REVIEW_PAGE_SIZE = 10
# m in the adjusted product score (C·m + sum of stars) / (m + n): how many imaginary
# reviews at the site-wide mean C each product starts with (reviews.adjusted).
CANDOR_REVIEW_PRIOR_WEIGHT = 5
CANDOR_REVIEW_PHOTO_MAX_BYTES = 8 * 1024 * 1024
CANDOR_REVIEW_PHOTO_MAX_PIXELS = 40_000_000

# Site search: every searchable type, by the dotted path of its visible queryset.
CANDOR_SEARCH_TYPES = [
    {
        "key": "product",
        "label": "Products",
        "singular": "Product",
        "queryset": "portal.selectors.product_search_queryset",
        "prefetch": ("tags",),
    },
    {
        "key": "article",
        "label": "Articles",
        "singular": "Help article",
        "queryset": "portal.selectors.article_search_queryset",
        "prefetch": ("tags", "related_products"),
    },
    {
        "key": "question",
        "label": "Questions",
        "singular": "Question",
        "queryset": "community.selectors.question_search_queryset",
        "prefetch": ("tags", "product"),
    },
    {
        "key": "answer",
        "label": "Answers",
        "singular": "Answer",
        "queryset": "community.selectors.answer_search_queryset",
        "prefetch": ("question__tags", "question__product"),
    },
    {
        "key": "review",
        "label": "Reviews",
        "singular": "Review",
        "queryset": "reviews.selectors.review_search_queryset",
        "prefetch": ("product__tags",),
    },
]
# API routers domain apps add under /api/v1/: (prefix, dotted path of a ninja Router).
CANDOR_API_ROUTERS: list[tuple[str, str]] = [
    ("/reviews/", "reviews.api.router"),
    ("/satisfaction/contact-requests/", "satisfaction.contact.api.router"),
    ("/satisfaction/", "satisfaction.api.router"),
    ("/community/", "community.api.router"),
    ("/community/", "community.api_inbox.router"),
    ("/community/", "community.api_posts.router"),
    ("/community/", "community.known_problems.api.router"),
    ("/community/", "community.suggested_edits.api.router"),
    ("/reputation/", "community.api_reputation.router"),
    ("/customers/", "portal.api_customer.router"),
]

# "Download my data": how long the emailed, signed link works (portal.services_customer).
CANDOR_DATA_EXPORT_LINK_DAYS = 7
# ... and how many copies a member may ask for per day (a 429 beyond).
CANDOR_DATA_EXPORTS_PER_DAY = 5

# The public satisfaction meter (satisfaction/).
CANDOR_SATISFACTION_SURVEY_DAYS = 28  # how long a survey link stays open
CANDOR_SATISFACTION_MIN_ANSWERS = (
    10  # below this, "not enough answers yet" instead of a %
)
# The meter snapshot cache (each answer refreshes it at once); 0 disables it (benchmarks).
CANDOR_SATISFACTION_SNAPSHOT_SECONDS = env_int(
    "CANDOR_SATISFACTION_SNAPSHOT_SECONDS", 10
)
# After an answer, every open meter is refreshed this long after it, once for a whole burst.
CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0.25
CANDOR_SATISFACTION_SSE_SECONDS = (
    25  # a WSGI event stream ends after this; EventSource reconnects
)
CANDOR_SATISFACTION_POLL_SECONDS = (
    15  # the meter's polling fallback without event streams
)
CANDOR_SATISFACTION_BADGE_SECONDS = (
    300  # browsers and proxies may cache the badge this long
)
# Where the meter's JavaScript listens; empty means this site's /satisfaction/live/. Set it
# when the stream server (satisfaction.live_asgi under granian ASGI) has another origin.
CANDOR_SATISFACTION_LIVE_URL = env_str("CANDOR_SATISFACTION_LIVE_URL")
# Origins allowed to read the stream cross-origin (the live ASGI app's CORS header).
CANDOR_SATISFACTION_LIVE_ORIGINS = env_list("CANDOR_SATISFACTION_LIVE_ORIGINS", [])
# Who gets the "a customer answered No" email; empty means every active staff member.
# "Talk to a person" (satisfaction.contact): callbacks are published in this zone,
# cut into slots of this many minutes, bookable from LEAD minutes to DAYS ahead;
# an email request promises a first reply within REPLY_HOURS; a reminder goes
# out REMIND_MINUTES before a callback. Run `satisfaction_contact_follow_through`
# every few minutes (reminders, overdue flags).
CANDOR_CONTACT_TIME_ZONE = env_str("CANDOR_CONTACT_TIME_ZONE") or TIME_ZONE
CANDOR_CONTACT_SLOT_MINUTES = 30
CANDOR_CONTACT_LEAD_MINUTES = 60
CANDOR_CONTACT_DAYS = 14
CANDOR_CONTACT_REPLY_HOURS = 24
CANDOR_CONTACT_CONFIRM_HOURS = 24  # an anonymous request not confirmed by then is closed
CANDOR_CONTACT_REMIND_MINUTES = 60
CANDOR_CONTACT_ON_TIME_MINUTES = 15  # a callback this late still counts as on time
CANDOR_CONTACT_MIN_SECONDS = 3  # a form sent faster than this is a robot's
CANDOR_SATISFACTION_ALERT_EMAILS = env_list("CANDOR_SATISFACTION_ALERT_EMAILS", [])

# Reputation and badges (community/). Points are documented on /community/reputation/.
CANDOR_REPUTATION_DAILY_VOTE_LIMIT = (
    200  # points a day from upvotes; acceptances exempt
)
# Reputation that unlocks each privilege (staff have them all). Small-community defaults:
# one upvoted answer lets a member flag, a few let them vote down.
CANDOR_REPUTATION_PRIVILEGES = {
    "flag": 5,
    "vote_down": 25,
    "retag": 100,
    "edit_others": 500,
}
# Topic expert badges ("Expert in <product or tag>"): (topic score, answers) per tier.
CANDOR_EXPERT_THRESHOLDS = {
    "bronze": (100, 20),
    "silver": (400, 80),
    "gold": (1000, 200),
}
# What an accepted answer and a customer-confirmed answer add to a topic score
# (on top of the answer's votes).
CANDOR_EXPERT_ACCEPTED_BONUS = 5
CANDOR_EXPERT_CONFIRMED_BONUS = 5

# Production readiness (issue 8). See README "Security" and "Speed".
# Anonymous page cache (portal.cache): seconds a page may live, at most, even if
# nothing invalidates it; 0 turns the cache off.
CANDOR_PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60)
CANDOR_PAGE_CACHE_LOCAL_ENTRIES = 500
# How long an app process serves its own copy before checking Redis again (another
# process's write becomes visible here within this time; this process's at once).
CANDOR_PAGE_CACHE_RECHECK_SECONDS = 0.25
# Members' everyday writes (votes, answers, comments, "me too") expire public pages
# at most once per this many seconds per process (portal.cache.invalidate_soon);
# the writer sees their own write at once.
CANDOR_PAGE_CACHE_COALESCE_SECONDS = 2
# Redis away: each process serves its own copies this long (README "Faults").
CANDOR_PAGE_CACHE_OUTAGE_SECONDS = 5
CANDOR_PAGE_CACHE_SKIP_PREFIXES = ["/admin/", "/healthz/", "/documents/", "/media/"]
# A request that finds the database away answers 503 with this Retry-After (seconds).
CANDOR_DATABASE_RETRY_AFTER = 10
# Maintenance: every write answers 503 (portal.middleware.ReadOnlyMiddleware).
CANDOR_READ_ONLY = env_bool("DJANGO_READ_ONLY", False)
CANDOR_READ_ONLY_RETRY_AFTER = 300
# Content-Security-Policy ({nonce} is fresh on every response); the admin's is relaxed.
CANDOR_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# The embeddable iframe badge (/satisfaction/badge.html): framed by any site.
CANDOR_CSP_BADGE_EMBED = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors *"
)
CANDOR_CSP_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'; form-action 'self'"
)
CANDOR_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Rate limits (portal.ratelimit). Rates are "count/period": 6/m, 50/10s, 30/h, 3/d.
# "ip" counts anonymous requests per address, "user" signed-in members per
# account, "new_user" members in their first CANDOR_NEW_MEMBER_HOURS (on top of
# "user"), "account" the username or email a request is about. Staff are exempt
# unless the action is in CANDOR_RATE_LIMITS_STAFF. Defaults follow
# shared/anchors/reliability.md §5.6 (Discourse and Stack Exchange).
CANDOR_RATE_LIMITS_ENABLED = env_bool("DJANGO_RATE_LIMITS", True)
CANDOR_TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
CANDOR_RATE_LIMITS = {
    "login": {"ip": ["6/m", "30/h"]},
    "login_failure": {"account": ["10/h"]},
    "signup": {"ip": ["10/h"]},
    "signup_account": {"ip": ["3/d"]},
    "password_reset": {"ip": ["10/h"], "account": ["3/h"]},
    "article_feedback": {"ip": ["20/m"], "user": ["20/m"]},
    "api": {"ip": ["120/m"], "user": ["600/m"]},
    "api_write": {"user": ["60/m"]},
    # The apps' writes (forms and the matching API endpoints, CANDOR_RATE_LIMITED_VIEWS).
    "ask": {"user": ["1/15s", "10/h"], "new_user": ["1/2m"]},
    "answer": {"user": ["1/5s", "60/h"], "new_user": ["1/30s"]},
    "comment": {"user": ["1/5s", "60/h"], "new_user": ["1/30s"]},
    "vote": {"user": ["30/m"]},
    "flag": {"user": ["1/5s"]},
    "review": {"user": ["1/m"]},
    "review_reply": {"user": ["1/5s"]},
    "survey": {"ip": ["60/h"], "user": ["60/h"], "account": ["10/h"]},
    # A busy office behind one address: 60 different searches a minute pass, a
    # scraper's burst (over 30 in 10 s) or steady stream (over 60 a minute) does not;
    # filter and page clicks on a query already counted are free (READ_UNITS below).
    "search": {"ip": ["30/10s", "60/m"], "user": ["30/10s", "60/m"]},
    # Suggestions while typing (one request per pause of ~150 ms): a burst of
    # keystrokes from a busy office must pass, a scraper's stream must not.
    "search_suggest": {"ip": ["60/10s", "300/m"], "user": ["60/10s", "300/m"]},
    "contact": {"ip": ["3/10m", "10/d"], "user": ["3/10m", "10/d"]},
    "contact_reply": {"ip": ["20/h"], "user": ["20/h"]},
}
CANDOR_RATE_LIMITS_STAFF: list[str] = ["login", "login_failure", "password_reset"]
# The apps' writes count once they succeed; these count every attempt.
CANDOR_RATE_LIMITS_COUNT_ATTEMPTS: list[str] = ["survey"]
# Daily caps counted from database rows (portal.ratelimit.daily_caps): a member's
# rows created in the last 24 hours, over the models listed for the action.
CANDOR_DAILY_CAPS = {
    "ask": 20,
    "answer": 100,
    "comment": 100,
    "vote": 40,
    "flag": 20,
    "review": 10,
    "review_reply": 100,
}
# A member's first day (Discourse's new-user sandbox): these caps replace the
# ones above, and the "new_user" windows apply.
CANDOR_NEW_MEMBER_HOURS = 24
CANDOR_DAILY_CAPS_NEW_MEMBER = {"ask": 3, "answer": 10, "comment": 10}
CANDOR_DAILY_CAP_ROWS = {
    "ask": [("community.Question", "author")],
    "answer": [("community.Answer", "author")],
    "comment": [("community.Comment", "author")],
    "vote": [("community.Vote", "user"), ("reviews.ReviewVote", "voter")],
    "flag": [("community.Flag", "flagger"), ("reviews.ReviewReport", "reporter")],
    "review": [("reviews.Review", "author")],
    "review_reply": [("reviews.ReviewReply", "author")],
}
# Which writes count against which action: URL names, or "METHOD route" for the
# API, where one path serves several operations. Only non-GET requests count.
CANDOR_RATE_LIMITED_VIEWS = {
    "community:ask": "ask",
    "POST api/v1/community/questions/": "ask",
    "community:answer_create": "answer",
    "POST api/v1/community/questions/<int:question_id>/answers/": "answer",
    "community:comment_create": "comment",
    "community:vote": "vote",
    "POST api/v1/community/questions/<int:question_id>/vote/": "vote",
    "POST api/v1/community/answers/<int:answer_id>/vote/": "vote",
    "reviews:review_helpful": "vote",
    "POST api/v1/reviews/<int:review_id>/helpful/": "vote",
    "community:flag": "flag",
    "reviews:review_report": "flag",
    "POST api/v1/reviews/<int:review_id>/report/": "flag",
    "reviews:review_write": "review",
    "POST api/v1/reviews/products/<slug>/": "review",
    "reviews:review_reply": "review_reply",
    "PUT api/v1/reviews/<int:review_id>/reply/": "review_reply",
    "satisfaction:survey": "survey",
    "satisfaction:interaction_survey": "survey",
    "satisfaction:contact": "contact",
    "POST api/v1/satisfaction/contact-requests/": "contact",
    "satisfaction:contact_reply": "contact_reply",
    "satisfaction:contact_request": "contact_reply",
}
# Writes the app refuses with its own message before any limit applies
# (portal.ratelimit.refused_anyway): a second review of a product.
CANDOR_RATE_LIMIT_PRECHECKS = {"review": "reviews.selectors.review_already_written"}
# Costly reads limited the same way (every request counts; page-cache hits are free).
CANDOR_RATE_LIMITED_READS = {
    "portal:search": "search",
    "portal:search_suggest": "search_suggest",
}
# What a read counts once per client (a dotted path to a function of the request
# returning the unit): a search's normalised query, so its filters and pages are free
# for CANDOR_RATE_LIMIT_SEEN_SECONDS after it was first counted.
CANDOR_RATE_LIMIT_READ_UNITS = {"search": "portal.search.rate_limit_unit"}
CANDOR_RATE_LIMIT_SEEN_SECONDS = 600
# Outgoing email (portal.tasks): attempts before giving up, 1, 2, 4 … 60 minutes apart.
CANDOR_EMAIL_MAX_ATTEMPTS = 12
# New badges are listed on the member's account page; set this to also email each one.
CANDOR_BADGE_EMAILS = env_bool("CANDOR_BADGE_EMAILS", False)

# Open Badges signing key (community.badge_signing): a PEM Ed25519 private key
# from the environment, else a key file created on first use (var/ is not in git).
CANDOR_BADGE_SIGNING_KEY = env_str("CANDOR_BADGE_SIGNING_KEY", "")
CANDOR_BADGE_KEY_FILE = Path(env_str("CANDOR_BADGE_KEY_FILE", str(BASE_DIR / "var" / "badge-signing-key.pem")))
