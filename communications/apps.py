from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Communications: news and the bulletin"

    def ready(self):
        from . import sending, tasks

        sending.batch_task = tasks.send_bulletin_batch
