import json

from django.core.management.base import BaseCommand, CommandError

from models.garment_parser.evaluate import parser_evaluate
from models.garment_parser.groups import default_groups
from models.garment_parser.predict import parser_load
from models.garment_parser.model import parser_weights_path
from models.weights_io import card_update


class Command(BaseCommand):
    help = "Score the served parser on the fixed validation split and write the figures into its model card."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="only the first N validation photos")

    def handle(self, *args, **options):
        try:
            model, config = parser_load()
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        metrics = parser_evaluate(model, default_groups(), config["serve_long_side"], limit=options["limit"])
        for name, iou in metrics["per_class_iou"].items():
            self.stdout.write(f"IoU {name:12s} {iou:.4f}")
        for key in ("mean_iou", "garment_iou", "pixel_accuracy", "photos"):
            self.stdout.write(f"{key:15s} {metrics[key]}")
        if options["limit"] is None:
            card_update(parser_weights_path(), metrics=metrics)
            self.stdout.write(f"written to {parser_weights_path().with_suffix('.json')}")
        self.stdout.write(json.dumps(metrics))
