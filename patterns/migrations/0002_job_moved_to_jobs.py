# Job now belongs to the jobs app (jobs/migrations/0001); the table is kept for it.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("patterns", "0001_initial"),
        ("jobs", "0001_job_from_patterns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Job")]),
    ]
