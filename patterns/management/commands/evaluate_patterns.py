from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from models.pattern_gan.evaluate import MIN_SAMPLES, SAMPLES, patterns_evaluate, targets_missed
from models.pattern_gan.model import pattern_weights_path
from models.pattern_gan.promote import candidates_promote
from models.pattern_gan.taxonomy import category_names
from models.weights_io import card_update


class Command(BaseCommand):
    help = ("KID, fidelity, diversity and seam score per category on held-out swatches; written into each model "
            "card. With --candidates DIR, newly trained generators are judged beside the served ones and replace "
            "them only where they score measurably better.")

    def add_arguments(self, parser):
        parser.add_argument("--category", nargs="+", default=["all"], help="one or more categories, or all")
        parser.add_argument("--samples", type=int, default=SAMPLES, help="generated patterns per category")
        parser.add_argument("--candidates", type=Path, default=None,
                            help="a weights folder written by train_patterns (AIFASHION_WEIGHTS_DIR=DIR)")

    def handle(self, *args, **options):
        names = category_names() if options["category"] == ["all"] else options["category"]
        unknown = sorted(set(names) - set(category_names()))
        if unknown:
            raise CommandError(f"unknown category {', '.join(unknown)}; choose from {', '.join(category_names())} or all")
        if options["samples"] < MIN_SAMPLES:
            raise CommandError(f"--samples must be at least {MIN_SAMPLES} (KID's sampling error needs two groups of two)")
        if options["candidates"] is not None and not (options["candidates"] / "patterns").is_dir():
            raise CommandError(f"{options['candidates']} has no patterns/ folder of candidate weights")
        try:
            if options["candidates"] is None:
                results = patterns_evaluate(categories=names, samples=options["samples"], log=self.stdout.write)
                for name, metrics in results.items():
                    card_update(pattern_weights_path(name), metrics=metrics)
            else:
                report = candidates_promote(categories=names, candidates_dir=options["candidates"],
                                            samples=options["samples"], log=self.stdout.write)
                results = {name: entry["candidate"] if entry["promoted"] else entry["served"]
                           for name, entry in report.items()}
                promoted = [name for name, entry in report.items() if entry["promoted"]]
                self.stdout.write(f"promoted: {', '.join(promoted) or 'none'}")
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        misses = [f"{name} {key} {metrics[key]}" for name, metrics in results.items() for key in targets_missed(metrics)]
        self.stdout.write(f"{len(results)} categories evaluated; below target: {', '.join(misses) or 'none'}")
