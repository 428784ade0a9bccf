from pathlib import Path

from django.core.management.base import BaseCommand

from models.pattern_gan.swatches import counts_report, swatches_dir, swatches_extract


class Command(BaseCommand):
    help = ("Cut pattern swatches from ../shared/data/patterns into the training cache (train/val by source "
            "image); whole-garment photos are masked by the garment parser.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=swatches_dir())
        parser.add_argument("--per-image", type=int, default=4)
        parser.add_argument("--heuristic", action="store_true", help="mask garments by colour rules, not the parser")

    def handle(self, *args, **options):
        counts = swatches_extract(out_dir=options["out"], per_image=options["per_image"],
                                  use_parser=not options["heuristic"])
        for line in counts_report(counts):
            self.stdout.write(line)
