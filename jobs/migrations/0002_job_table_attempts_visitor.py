from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_job_from_patterns"),
        ("patterns", "0002_job_moved_to_jobs"),
    ]

    operations = [
        migrations.AlterModelTable(name="job", table=None),
        migrations.AddField(model_name="job", name="attempts", field=models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(model_name="job", name="heartbeat_at",
                            field=models.DateTimeField(blank=True, db_index=True, null=True)),
        migrations.CreateModel(
            name="Visitor",
            fields=[
                ("token", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("first_seen", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
