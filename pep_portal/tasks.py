from celery import shared_task
from django.core.cache import cache


@shared_task
def ping(token):
    """Proves a worker is alive end to end: it answers through the shared cache."""
    cache.set(f"ping:{token}", "pong", 60)
    return "pong"
