from django.apps import AppConfig


class PepPortalConfig(AppConfig):
    name = "pep_portal"
    verbose_name = "Portal and accounts"

    def ready(self):
        from . import signals  # noqa: F401
