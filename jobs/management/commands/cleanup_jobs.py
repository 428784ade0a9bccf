from datetime import timedelta

from django.core.management.base import BaseCommand

from jobs.services import jobs_cleanup


class Command(BaseCommand):
    help = "Delete jobs, uploads and results older than --hours (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0)

    def handle(self, *args, **options):
        count = jobs_cleanup(older_than=timedelta(hours=options["hours"]))
        self.stdout.write(f"deleted {count} jobs")
