from django.db import migrations

FOUR_PARTS = ("goal", "achieved", "not_achieved", "next_steps")
BATCH = 1000


def _copy(queryset, forwards: bool) -> None:
    """Rows in batches by primary key, so that a large table is never held in memory."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            if forwards:
                row.answers = {name: getattr(row, name) for name in FOUR_PARTS}
            else:
                for name in FOUR_PARTS:
                    setattr(row, name, (row.answers or {}).get(name, ""))
        fields = ["answers"] if forwards else list(FOUR_PARTS)
        queryset.model.objects.bulk_update(rows, fields)
        last = rows[-1].pk


def forwards(apps, schema_editor):
    """Every AAR and version keeps its four parts, now under their keys in ``answers``;
    the built-in question sets are made (no AAR names one: None is KMI's default)."""
    QuestionSet = apps.get_model("aar", "QuestionSet")
    for slug in ("kmi", "army"):
        QuestionSet.objects.get_or_create(slug=slug)
    _copy(apps.get_model("aar", "AAR").objects.all(), forwards=True)
    _copy(apps.get_model("aar", "AARVersion").objects.all(), forwards=True)


def backwards(apps, schema_editor):
    """Back to the four columns. An AAR of another question set cannot be held there:
    refuse, rather than lose its words."""
    AAR = apps.get_model("aar", "AAR")
    other = AAR.objects.exclude(question_set__isnull=True).exclude(question_set__slug="kmi")
    if other.exists():
        raise RuntimeError(
            f"{other.count()} AARs answer another question set than KMI's four parts; "
            "their answers have no column to go back to. Export them first."
        )
    _copy(AAR.objects.all(), forwards=False)
    _copy(apps.get_model("aar", "AARVersion").objects.all(), forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0010_question_sets_recommendations_review"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
