"""The database cache's table, made by `migrate` itself.

Settings, sign-in limits and page figures live in the cache; on the embedded default (and as Redis's
fallback) that is a database table, which Django makes only with `createcachetable`. A portal set up
with `migrate` alone would answer its first page with "no such table"."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    alias = schema_editor.connection.alias if schema_editor is not None else "default"
    call_command("createcachetable", database=alias, verbosity=0)  # does nothing when the table exists


class Migration(migrations.Migration):
    dependencies = [("pep_portal", "0003_partnership")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
