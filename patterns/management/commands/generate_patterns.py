from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from patterns.services import PatternInputError, patterns_write


class Command(BaseCommand):
    help = "Write DIR/<category>/<seed>.png for seeds S..S+N-1 from the trained generators."

    def add_arguments(self, parser):
        parser.add_argument("--category", required=True, help="a category name, or all")
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--size", type=int, default=512, help="output side in px, 64 to 2048")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **options):
        try:
            written = patterns_write(category=options["category"], count=options["count"], seed=options["seed"],
                                     size=options["size"], out_dir=options["out"])
        except (PatternInputError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(str(path))
