from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = "School improvement support"

    def ready(self):
        from django.db.models.signals import post_save

        from dashboard.models import PriorityOverride
        from dashboard.signals import rating_run_finished

        from . import signals

        rating_run_finished.connect(signals.run_finished, dispatch_uid="support_run_finished")
        post_save.connect(signals.override_changed, sender=PriorityOverride, dispatch_uid="support_override_changed")
