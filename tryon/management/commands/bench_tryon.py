import statistics
import time

import numpy as np
import torch
from django.core.management.base import BaseCommand, CommandError
from PIL import Image

from jobs.photos import photo_read
from tryon.services import TryonInputError, tryon_render
from tryon.stock import stock_names, stock_path

PIXELS = 500_000


class Command(BaseCommand):
    help = ("Print p50 and p95 seconds of the try-on (parse, two garments in two patterns, folds) on the stock "
            "photos resized to 0.5 megapixels, as a worker runs it on this CPU (jobs plumbing excluded).")

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--repeats", type=int, default=3)

    def handle(self, *args, **options):
        torch.set_num_threads(options["threads"])
        params = {"pattern": {"category": "floral", "seed": 3, "size": 512}, "scale": 1.0, "rotation": 0.0,
                  "garments": ["top", "outerwear", "bottom", "dress"],
                  "garment_patterns": {"bottom": {"category": "striped", "seed": 9, "size": 512}}}
        seconds = []
        try:
            for name in stock_names():
                photo = photo_read(stock_path(name))
                factor = (PIXELS / (photo.shape[0] * photo.shape[1])) ** 0.5
                photo = np.asarray(Image.fromarray(photo).resize((round(photo.shape[1] * factor),
                                                                  round(photo.shape[0] * factor))))
                tryon_render(photo=photo, params=params)  # warm: models load once per worker
                for _ in range(options["repeats"]):
                    started = time.perf_counter()
                    tryon_render(photo=photo, params=params)
                    seconds.append(time.perf_counter() - started)
        except (TryonInputError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        seconds.sort()
        self.stdout.write(f"try-on at 0.5 MP, two garments in two patterns, folds on: p50 {statistics.median(seconds):.3f} s, "
                          f"p95 {seconds[int(0.95 * (len(seconds) - 1))]:.3f} s over {len(seconds)} runs "
                          f"({len(stock_names())} photos, {options['threads']} threads)")
