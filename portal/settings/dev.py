"""Local development: debug on, a fixed throwaway key, mail printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-candor-dev-only-never-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
