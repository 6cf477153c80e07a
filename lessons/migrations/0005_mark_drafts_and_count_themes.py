"""Existing data for the theme counts (``lessons.themes``): the answer rows of drafts are
marked as not counted (``lessons.index.DRAFT_POSITION``), then every count is made from
the submitted AARs. On a new database both do nothing.

It calls ``lessons.themes.rebuild_themes``, today's code, not a historical model: it
reads only the AARs' answers and their sessions' organiser and date. If that stops
working on an old database, ``manage.py search_rebuild`` makes the same counts.
"""

from django.db import migrations
from django.db.models import F

DRAFT_POSITION = 1000  # lessons.index.DRAFT_POSITION when this was written


def forwards(apps, schema_editor):
    SearchEntry = apps.get_model("lessons", "SearchEntry")
    SearchEntry.objects.filter(
        kind="answer", aar__status="draft", position__lt=DRAFT_POSITION
    ).update(position=F("position") + DRAFT_POSITION)
    from lessons.themes import rebuild_themes

    rebuild_themes()


def backwards(apps, schema_editor):
    SearchEntry = apps.get_model("lessons", "SearchEntry")
    SearchEntry.objects.filter(kind="answer", position__gte=DRAFT_POSITION).update(
        position=F("position") - DRAFT_POSITION
    )
    apps.get_model("lessons", "ThemeCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("lessons", "0004_lessons_themes"), ("aar", "0013_sharing_organisations_and_anonymous")]

    operations = [migrations.RunPython(forwards, backwards)]
