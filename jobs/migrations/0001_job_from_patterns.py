# The Job model moves here from the patterns app: its table and rows stay as they are
# (state only); 0002 renames the table.
import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("patterns", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Job",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("owner", models.CharField(db_index=True, max_length=64)),
                        ("kind", models.CharField(choices=[("pattern", "Pattern"), ("tryon", "Tryon")], max_length=16)),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")], db_index=True, default="queued", max_length=16)),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("params", models.JSONField(default=dict)),
                        ("results", models.JSONField(default=list)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"ordering": ["-created_at"], "db_table": "patterns_job"},
                ),
            ],
        ),
    ]
