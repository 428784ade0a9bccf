from pathlib import Path

from django.core.management.base import BaseCommand

from models.pattern_gan.swatches import swatches_dir, swatches_extract


class Command(BaseCommand):
    help = "Cut pattern swatches from ../shared/data/patterns into the training cache (train/val by source image)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=swatches_dir())
        parser.add_argument("--per-image", type=int, default=4)

    def handle(self, *args, **options):
        counts = swatches_extract(out_dir=options["out"], per_image=options["per_image"])
        for category, c in counts.items():
            self.stdout.write(f"{category:12s} images {c['images']:4d}  train {c['train']:4d}  val {c['val']:4d}")
