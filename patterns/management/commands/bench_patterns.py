from django.core.management.base import BaseCommand, CommandError

from models.pattern_gan.bench import patterns_bench
from patterns.png import png_encode
from patterns.services import PatternInputError, pattern_spec_build


class Command(BaseCommand):
    help = ("Print the CPU time to render a 512 and a 2048 px pattern and an 8000 px print (and to encode each "
            "as PNG).")

    def add_arguments(self, parser):
        parser.add_argument("--category", default="floral")
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--repeats", type=int, default=5)

    def handle(self, *args, **options):
        try:
            pattern_spec_build(category=options["category"], seed=0)
            rows = patterns_bench(category=options["category"], threads=options["threads"],
                                  repeats=options["repeats"], encode=png_encode)
        except (PatternInputError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        for row in rows:
            self.stdout.write(f"{row['category']} {row['case']} ({row['size']}x{row['size']}): render {row['render_ms']} ms, "
                              f"PNG encode {row['png_encode_ms']} ms ({row['threads']} threads, median of {options['repeats']})")
