import argparse

from django.core.management.base import BaseCommand, CommandError

from models.pattern_gan.train import cli_arguments, cli_run


class Command(BaseCommand):
    help = "Train pattern generators (one per category; each resumes from its own checkpoint)."

    def add_arguments(self, parser):
        cli_arguments(parser)

    def handle(self, *args, **options):
        try:
            cli_run(argparse.Namespace(**options), log=self.stdout.write)
        except (ValueError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
