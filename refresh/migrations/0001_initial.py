"""The refresh's models move here from the dashboard app; their tables stay where they are.

State only: the tables dashboard_refreshrun and dashboard_refreshlock already exist (made by the
dashboard app's migration 0003), so nothing is created in the database.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dashboard', '0008_access_log_exports_and_support'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='RefreshLock',
                    fields=[
                        ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                        ('holder', models.CharField(blank=True, max_length=80)),
                        ('acquired_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'db_table': 'dashboard_refreshlock',
                    },
                ),
                migrations.CreateModel(
                    name='RefreshRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(db_index=True, max_length=80)),
                        ('trigger', models.CharField(choices=[('nightly', 'Nightly schedule'), ('user', 'Run now'), ('watchdog', 'Watchdog (missed run)'), ('command', 'Command')], default='command', max_length=10)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Finished'), ('failed', 'Failed'), ('skipped', 'Skipped')], db_index=True, default='queued', max_length=10)),
                        ('step', models.CharField(blank=True, help_text='What the run is doing now (progress)', max_length=80)),
                        ('task_id', models.CharField(blank=True, max_length=80)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('targets_recomputed', models.PositiveIntegerField(default=0)),
                        ('schools_rated', models.PositiveIntegerField(default=0)),
                        ('priorities_changed', models.PositiveIntegerField(default=0)),
                        ('emails_sent', models.PositiveIntegerField(default=0)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('pending', models.BooleanField(default=False)),
                        ('error', models.TextField(blank=True)),
                        ('log', models.TextField(blank=True, help_text='One line per event: attempts, retries, interruptions')),
                        ('rating_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dashboard.ratingrun')),
                        ('triggered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'dashboard_refreshrun',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'done')), fields=('key',), name='one_done_refresh_per_key')],
                    },
                ),
            ],
        ),
    ]
