"""The support models, taken over from the dashboard app with their tables and rows as they are.

The tables keep their names (dashboard_<model>, including the peer-review rounds' many-to-many table),
so this migration only records the models in this app's state. Content types (and with them the
permissions groups hold) move to the "support" label.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("term", "supportsettings", "supportexclusion", "supportplan", "visit", "nextstep", "question", "reply",
          "supportevent", "supportoffer", "peerreviewround")


def move_content_types(apps, schema_editor, source, target):
    """Relabels the models' content types, so the permissions pointing at them (and the groups holding those
    permissions) follow. A content type already made under the target label is left as it is."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not rows.filter(app_label=target, model=model).exists():
            rows.filter(app_label=source, model=model).update(app_label=target)


def to_support(apps, schema_editor):
    move_content_types(apps, schema_editor, "dashboard", "support")


def to_dashboard(apps, schema_editor):
    move_content_types(apps, schema_editor, "support", "dashboard")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('dashboard', '0009_support_moves_out'),
        ('schools', '0007_persistent_absence_15'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='SupportSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('p1_visits_per_term', models.PositiveSmallIntegerField(default=2, help_text='Visits planned each term for a P1 school')),
                ('p2_visits_per_term', models.PositiveSmallIntegerField(default=1, help_text='Visits planned this term for a P2 school')),
                ('question_reply_days', models.PositiveSmallIntegerField(default=20, help_text='Days a school has to reply to a question before reminders are sent')),
                ('reminder_interval_days', models.PositiveSmallIntegerField(default=7, help_text='Days between reminders to a school about the same unanswered question')),
            ],
            options={
                'verbose_name': 'support settings',
                'verbose_name_plural': 'support settings',
                'db_table': 'dashboard_supportsettings',
            },
        ),
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measures', models.JSONField(default=list)),
                ('text', models.TextField()),
                ('status', models.CharField(choices=[('open', 'Waiting for the school'), ('answered', 'Answered'), ('closed', 'Closed'), ('withdrawn', 'Withdrawn')], db_index=True, default='open', max_length=10)),
                ('opened_at', models.DateTimeField(auto_now_add=True)),
                ('reply_by', models.DateField(blank=True, null=True)),
                ('last_reminded_at', models.DateTimeField(blank=True, null=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('outcome', models.TextField(blank=True, help_text="The officer's note when closing or withdrawing")),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dashboard.ratingrun')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_questions', to='schools.school')),
            ],
            options={
                'db_table': 'dashboard_question',
                'ordering': ['-opened_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Reply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('explanation', models.TextField(blank=True)),
                ('action', models.TextField(blank=True, help_text='What the school will do')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='support.question')),
            ],
            options={
                'verbose_name_plural': 'replies',
                'db_table': 'dashboard_reply',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SupportPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(blank=True, choices=[('1', 'Priority 1'), ('2', 'Priority 2'), ('3', 'Priority 3'), ('', 'Not rated')], max_length=1)),
                ('notes', models.TextField(blank=True)),
                ('in_scope', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('adviser', models.ForeignKey(blank=True, help_text='The adviser who leads the visits', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='advised_plans', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(blank=True, help_text="The rating run that last set this plan's priority", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dashboard.ratingrun')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_plans', to='schools.school')),
                ('supporting_school', models.ForeignKey(blank=True, help_text='A school brokered to support this one', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='supporting_plans', to='schools.school')),
            ],
            options={
                'db_table': 'dashboard_supportplan',
                'ordering': ['priority', 'school__name'],
            },
        ),
        migrations.AddField(
            model_name='question',
            name='plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='questions', to='support.supportplan'),
        ),
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('academic_year', models.PositiveSmallIntegerField(help_text='Academic year by start: 2025 = 2025/26')),
                ('name', models.CharField(choices=[('autumn', 'Autumn'), ('spring', 'Spring'), ('summer', 'Summer')], max_length=10)),
                ('start', models.DateField()),
                ('end', models.DateField()),
            ],
            options={
                'db_table': 'dashboard_term',
                'ordering': ['start'],
                'constraints': [models.UniqueConstraint(fields=('academic_year', 'name'), name='unique_support_term')],
            },
        ),
        migrations.AddField(
            model_name='supportplan',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='support.term'),
        ),
        migrations.CreateModel(
            name='SupportEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('plan', 'Plan'), ('priority', 'Priority changed'), ('visit_planned', 'Visit planned'), ('visit_done', 'Visit recorded'), ('visit_cancelled', 'Visit cancelled'), ('next_step', 'Next step'), ('question', 'Question asked'), ('question_updated', 'Question updated'), ('reply', 'Reply'), ('question_closed', 'Question closed'), ('question_withdrawn', 'Question withdrawn'), ('scope', 'Scope'), ('reminder', 'Reminder')], max_length=20)),
                ('text', models.TextField()),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dashboard.ratingrun')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_events', to='schools.school')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('term', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='support.term')),
            ],
            options={
                'db_table': 'dashboard_supportevent',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='question',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='support.term'),
        ),
        migrations.CreateModel(
            name='PeerReviewRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('notes', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='peer_review_rounds', to='schools.cluster')),
                ('schools_reviewed', models.ManyToManyField(blank=True, related_name='peer_reviews', to='schools.school')),
                ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='peer_review_rounds', to='support.term')),
            ],
            options={
                'db_table': 'dashboard_peerreviewround',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Visit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('done', 'Done'), ('cancelled', 'Cancelled')], db_index=True, default='planned', max_length=10)),
                ('planned_date', models.DateField()),
                ('done_date', models.DateField(blank=True, null=True)),
                ('met_with', models.CharField(blank=True, help_text='Who the visitor met at the school', max_length=300)),
                ('focus', models.JSONField(blank=True, default=list, help_text='Measure codes the visit looked at')),
                ('findings', models.TextField(blank=True)),
                ('cancelled_reason', models.CharField(blank=True, max_length=300)),
                ('recorded_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='support.supportplan')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_visits', to='schools.school')),
                ('visitor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='support_visits', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'dashboard_visit',
                'ordering': ['planned_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='NextStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.TextField()),
                ('owner', models.CharField(help_text='Who will do it (a name or role)', max_length=200)),
                ('due_date', models.DateField()),
                ('done_on', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='next_steps', to='support.visit')),
            ],
            options={
                'db_table': 'dashboard_nextstep',
                'ordering': ['due_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SupportExclusion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(blank=True, choices=[('la_maintained', 'LA maintained'), ('academy', 'Academy'), ('free_school', 'Free school'), ('special_maintained', 'Special (maintained)'), ('special_academy', 'Special (academy)'), ('independent', 'Independent'), ('other', 'Other')], help_text='A whole governance category', max_length=20)),
                ('reason', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='support_exclusions', to='schools.school')),
            ],
            options={
                'db_table': 'dashboard_supportexclusion',
                'ordering': ['category', 'school__name'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('school__isnull', False), ('category', '')), models.Q(('school__isnull', True), models.Q(('category', ''), _negated=True)), _connector='OR'), name='support_exclusion_school_or_category')],
            },
        ),
        migrations.CreateModel(
            name='SupportOffer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure_code', models.CharField(blank=True, help_text='Blank: willing to help in any area', max_length=40)),
                ('note', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_offers', to='schools.school')),
            ],
            options={
                'db_table': 'dashboard_supportoffer',
                'ordering': ['school__name', 'measure_code'],
                'constraints': [models.UniqueConstraint(fields=('school', 'measure_code'), name='one_support_offer')],
            },
        ),
        migrations.AddConstraint(
            model_name='supportplan',
            constraint=models.UniqueConstraint(fields=('school', 'term'), name='one_support_plan_per_term'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(to_support, to_dashboard),
    ]
