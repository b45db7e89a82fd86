"""Settings for the test suite: the production settings with fast hashing and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("CIVITAS_HTTPS", "false")

from civitas.settings import *  # noqa: E402,F403
from civitas.settings import DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}

# Importing this module imports the package's settings first, before the CIVITAS_HTTPS
# default above takes effect: switch the HTTPS-only settings off here as well.
HTTPS = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = SECURE_HSTS_PRELOAD = False
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_SECONDS = 0

# Tests never run collectstatic: let WhiteNoise find files where they are.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
