from django.core.management.base import BaseCommand, CommandError

from models.fabric.evaluate import fabric_evaluate


class Command(BaseCommand):
    help = ("The fabric check on real close-ups of the validation split: category found, the tile's seam, texture "
            "distance of the tile and the variations to the photo against unsteered samples, seconds per photo.")

    def add_arguments(self, parser):
        parser.add_argument("--photos", type=int, default=20)

    def handle(self, *args, **options):
        if options["photos"] < 1:
            raise CommandError("--photos must be at least 1")
        try:
            fabric_evaluate(count=options["photos"], log=self.stdout.write)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
