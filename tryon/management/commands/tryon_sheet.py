from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand
from PIL import Image

from jobs.photos import photo_read
from tryon.services import TryonInputError, tryon_render
from tryon.stock import stock_names, stock_path

ROW_PX = 360


class Command(BaseCommand):
    help = ("A before/after sheet for people: per stock photo, the photo, the try-on with the pattern laid flat, and "
            "with folds bending it (top and bottom in two patterns, 8 cm repeats on a 170 cm person).")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=Path("docs/tryon-folds.jpg"))
        parser.add_argument("--photos", type=int, default=6)

    def handle(self, *args, **options):
        params = {"pattern": {"category": "striped", "seed": 11, "size": 512}, "scale": 1.0, "rotation": 20.0,
                  "garments": ["top", "outerwear", "dress", "bottom"],
                  "garment_patterns": {"bottom": {"category": "houndstooth", "seed": 4, "size": 512}}}
        rows = []
        for name in stock_names()[:options["photos"]]:
            photo = photo_read(stock_path(name))
            try:
                flat = tryon_render(photo=photo, params=params, folds=False).result
                folded = tryon_render(photo=photo, params=params, folds=True).result
            except TryonInputError as error:
                self.stderr.write(f"{name}: {error}")
                continue
            width = round(photo.shape[1] * ROW_PX / photo.shape[0])
            rows.append(np.concatenate([np.asarray(Image.fromarray(image).resize((width, ROW_PX), Image.LANCZOS))
                                        for image in (photo, flat, folded)], axis=1))
        sheet_width = max(row.shape[1] for row in rows)
        sheet = np.full((ROW_PX * len(rows), sheet_width, 3), 255, np.uint8)
        for k, row in enumerate(rows):
            sheet[k * ROW_PX:(k + 1) * ROW_PX, :row.shape[1]] = row
        options["out"].parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(sheet).save(options["out"], quality=85)
        self.stdout.write(f"{options['out']}: {len(rows)} photos (photo | flat | folds), "
                          f"{options['out'].stat().st_size // 1024} KB")
