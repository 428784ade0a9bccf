from pathlib import Path

import torch

from django.core.management.base import BaseCommand

from models.pattern_gan.swatches import counts_report, swatches_dir, swatches_extract


class Command(BaseCommand):
    help = ("Cut pattern swatches (v2: light flattened, motifs rescaled to one size per category, screened by a "
            "classifier) from ../shared/data/patterns into the training cache (train/val by source image); "
            "whole-garment photos are masked by the garment parser. Contact sheets in <out>/sheets/.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=swatches_dir())
        parser.add_argument("--per-image", type=int, default=4)
        parser.add_argument("--heuristic", action="store_true", help="mask garments by colour rules, not the parser")
        parser.add_argument("--no-screen", action="store_true", help="keep crops the classifier cannot place")
        # Beside a training run, one thread: two would contend with it for the cores and run ~10x slower.
        parser.add_argument("--threads", type=int, default=torch.get_num_threads())

    def handle(self, *args, **options):
        torch.set_num_threads(options["threads"])
        counts = swatches_extract(out_dir=options["out"], per_image=options["per_image"],
                                  use_parser=not options["heuristic"], screen=not options["no_screen"])
        for line in counts_report(counts):
            self.stdout.write(line)
