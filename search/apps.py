from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from . import providers, signals

        providers.load()
        signals.connect()
