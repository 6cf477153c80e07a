from django.apps import AppConfig


class PeerassistConfig(AppConfig):
    """The project's base: settings, middleware, sign-in rules, dates, and the one table
    every app's public pages share (rate-limit counts)."""

    name = "peerassist"
    default_auto_field = "django.db.models.BigAutoField"
