from django.core.management.base import BaseCommand

from lessons.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every AAR, commitment, recommendation and review."

    def handle(self, *args, **options):
        rows = rebuild()
        self.stdout.write(f"search index: {rows} rows")
