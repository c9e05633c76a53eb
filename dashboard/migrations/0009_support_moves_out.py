"""School improvement support moved to its own app (support): its models leave the dashboard's state.

Nothing changes in the database: the support app's models keep these tables (dashboard_<model>), and its
first migration takes them over in its own state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0008_access_log_exports_and_support'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='nextstep',
            name='visit',
        ),
        migrations.RemoveField(
            model_name='peerreviewround',
            name='cluster',
        ),
        migrations.RemoveField(
            model_name='peerreviewround',
            name='schools_reviewed',
        ),
        migrations.RemoveField(
            model_name='peerreviewround',
            name='term',
        ),
        migrations.RemoveField(
            model_name='question',
            name='closed_by',
        ),
        migrations.RemoveField(
            model_name='question',
            name='plan',
        ),
        migrations.RemoveField(
            model_name='question',
            name='run',
        ),
        migrations.RemoveField(
            model_name='question',
            name='school',
        ),
        migrations.RemoveField(
            model_name='question',
            name='term',
        ),
        migrations.RemoveField(
            model_name='reply',
            name='question',
        ),
        migrations.RemoveField(
            model_name='reply',
            name='author',
        ),
        migrations.RemoveField(
            model_name='supportevent',
            name='run',
        ),
        migrations.RemoveField(
            model_name='supportevent',
            name='school',
        ),
        migrations.RemoveField(
            model_name='supportevent',
            name='term',
        ),
        migrations.RemoveField(
            model_name='supportevent',
            name='user',
        ),
        migrations.RemoveField(
            model_name='supportexclusion',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='supportexclusion',
            name='school',
        ),
        migrations.RemoveField(
            model_name='supportoffer',
            name='school',
        ),
        migrations.RemoveField(
            model_name='supportplan',
            name='adviser',
        ),
        migrations.RemoveField(
            model_name='supportplan',
            name='run',
        ),
        migrations.RemoveField(
            model_name='supportplan',
            name='school',
        ),
        migrations.RemoveField(
            model_name='supportplan',
            name='supporting_school',
        ),
        migrations.RemoveField(
            model_name='supportplan',
            name='term',
        ),
        migrations.RemoveField(
            model_name='visit',
            name='plan',
        ),
        migrations.DeleteModel(
            name='SupportSettings',
        ),
        migrations.RemoveField(
            model_name='visit',
            name='recorded_by',
        ),
        migrations.RemoveField(
            model_name='visit',
            name='school',
        ),
        migrations.RemoveField(
            model_name='visit',
            name='visitor',
        ),
        migrations.DeleteModel(
            name='NextStep',
        ),
        migrations.DeleteModel(
            name='PeerReviewRound',
        ),
        migrations.DeleteModel(
            name='Question',
        ),
        migrations.DeleteModel(
            name='Reply',
        ),
        migrations.DeleteModel(
            name='SupportEvent',
        ),
        migrations.DeleteModel(
            name='SupportExclusion',
        ),
        migrations.DeleteModel(
            name='SupportOffer',
        ),
        migrations.DeleteModel(
            name='Term',
        ),
        migrations.DeleteModel(
            name='SupportPlan',
        ),
        migrations.DeleteModel(
            name='Visit',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
