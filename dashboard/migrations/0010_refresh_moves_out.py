"""The refresh's models now belong to the refresh app (its migration 0001): the dashboard forgets them.

State only: the tables stay, under their old names, and are the refresh app's from now on. Their
content types follow them, so permissions and admin log entries keep pointing at the same rows.
"""

from django.db import migrations

MODELS = ("refreshrun", "refreshlock")


def move_content_types(from_label, to_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in MODELS:
            old = ContentType.objects.filter(app_label=from_label, model=model).first()
            if old is None:
                continue
            # A row made for the new label in the meantime has nothing attached yet: the old one wins.
            ContentType.objects.filter(app_label=to_label, model=model).delete()
            old.app_label = to_label
            old.save(update_fields=["app_label"])

    return move


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0009_support_moves_out"),
        ("refresh", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="RefreshRun"),
                migrations.DeleteModel(name="RefreshLock"),
            ],
        ),
        migrations.RunPython(move_content_types("dashboard", "refresh"), move_content_types("refresh", "dashboard")),
    ]
