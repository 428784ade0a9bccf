from django.core.management.base import BaseCommand, CommandError

from models.fabric.train_classifier import classifier_train


class Command(BaseCommand):
    help = "Train the fabric classifier's head on the swatches (extract_swatches first); export it with its card."

    def handle(self, *args, **options):
        try:
            classifier_train(log=self.stdout.write)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
