from django.core.management.base import BaseCommand, CommandError

from models.pattern_gan.evaluate import patterns_evaluate
from models.pattern_gan.taxonomy import category_names
from models.pattern_gan.model import pattern_weights_path
from models.weights_io import card_update

TARGETS = {"fidelity": 0.9, "diversity": 0.9}
SEAM_TARGET = 1.1


class Command(BaseCommand):
    help = "KID, fidelity, diversity and seam score per category on held-out swatches; written into each model card."

    def add_arguments(self, parser):
        parser.add_argument("--category", default="all")
        parser.add_argument("--samples", type=int, default=48, help="generated patterns per category")

    def handle(self, *args, **options):
        names = category_names() if options["category"] == "all" else [options["category"]]
        if not set(names) <= set(category_names()):
            raise CommandError(f"unknown category {options['category']!r}; choose from {', '.join(category_names())} or all")
        try:
            results = patterns_evaluate(categories=names, samples=options["samples"], log=self.stdout.write)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        misses = []
        for name, metrics in results.items():
            card_update(pattern_weights_path(name), metrics=metrics)
            misses += [f"{name} {k} {metrics[k]}" for k, bar in TARGETS.items() if metrics[k] < bar]
            if metrics["seam"] > SEAM_TARGET:
                misses.append(f"{name} seam {metrics['seam']}")
        self.stdout.write(f"{len(results)} categories evaluated; below target: {', '.join(misses) or 'none'}")
