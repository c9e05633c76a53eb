from django.apps import AppConfig


class RefreshConfig(AppConfig):
    name = "refresh"
    label = "refresh"
    verbose_name = "Ratings refresh"

    def ready(self):
        from celery.signals import worker_ready

        from . import tasks

        # A night missed while no worker was up is run as soon as one is.
        worker_ready.connect(tasks.watchdog_at_worker_start, dispatch_uid=tasks.WATCHDOG_AT_START_UID)
