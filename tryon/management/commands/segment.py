from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryon.services import segmentations_write


class Command(BaseCommand):
    help = "Write DIR/<photo name>.png: one 8-bit channel of class ids 0..9 (groups.json), photo-sized."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("photos", nargs="+", type=Path)

    def handle(self, *args, **options):
        try:
            written, errors = segmentations_write(photos=options["photos"], out_dir=options["out"])
        except FileNotFoundError as error:  # no trained weights
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(str(path))
        for message in errors:
            self.stderr.write(f"error: {message}")
        if errors:
            raise CommandError(f"{len(errors)} of {len(options['photos'])} photos could not be read")
