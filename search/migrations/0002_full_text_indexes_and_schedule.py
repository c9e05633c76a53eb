"""The full-text indexes: on PostgreSQL a GIN index on the document vectors; on SQLite an FTS5 table
(porter stemming, diacritics folded) whose rowid is the document's id. And the beat entry "search index" (nightly, 03:45) that rebuilds the index from the public content."""

from django import db
from django.db import migrations

NAME = "search index"
INDEX = "search_document_vector_gin"


FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, summary, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def create_index(apps, schema_editor):
    # schema_editor is None when the test suite re-runs data migrations after a flush (conftest's
    # reseed_reference_data): the statements are idempotent, so they run on the default connection.
    connection = schema_editor.connection if schema_editor else db.connection
    statement = {"postgresql": f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchdocument USING gin (vector)",
                 "sqlite": FTS}.get(connection.vendor)
    if statement:
        with connection.cursor() as cursor:
            cursor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.create(
        name=NAME, task="search.tasks.rebuild_search_index", crontab=crontab, enabled=True,
        description="Rebuild the site search index from public content (also catches date-only changes).",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
