import json

from django.core.management.base import BaseCommand, CommandError

from models.garment_parser.bench import parser_bench
from models.garment_parser.predict import parser_load


class Command(BaseCommand):
    help = "Print ms per photo of the served parser and of the earlier architecture, and the ratio."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--photos", type=int, default=5)

    def handle(self, *args, **options):
        try:
            model, config = parser_load()
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        result = parser_bench(model=model, config=config, threads=options["threads"], photos=options["photos"])
        self.stdout.write(f"ours    {result['ours']['encoder']:22s} long side {result['ours']['long_side']}: "
                          f"{result['ours']['ms_per_photo']} ms/photo")
        self.stdout.write(f"earlier {result['earlier']['encoder']:22s} long side {result['earlier']['long_side']}: "
                          f"{result['earlier']['ms_per_photo']} ms/photo")
        self.stdout.write(f"speed-up {result['speedup']}x ({result['threads']} threads, photos {result['photo_size']})")
        self.stdout.write(json.dumps(result))
