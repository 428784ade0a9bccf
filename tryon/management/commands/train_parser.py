import argparse

from django.core.management.base import BaseCommand, CommandError

from models.garment_parser.train import cli_arguments, cli_run


class Command(BaseCommand):
    help = "Train the garment parser on CCP (resumes from its last checkpoint; exports only if it beats the served model)."

    def add_arguments(self, parser):
        cli_arguments(parser)

    def handle(self, *args, **options):
        try:
            cli_run(argparse.Namespace(**options), log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
