from django.db import migrations


class Migration(migrations.Migration):
    """The four parts' own columns go, once 0011 has copied them into ``answers``."""

    dependencies = [
        ("aar", "0011_answers_from_four_parts"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='aar',
            name='achieved',
        ),
        migrations.RemoveField(
            model_name='aar',
            name='goal',
        ),
        migrations.RemoveField(
            model_name='aar',
            name='next_steps',
        ),
        migrations.RemoveField(
            model_name='aar',
            name='not_achieved',
        ),
        migrations.RemoveField(
            model_name='aarversion',
            name='achieved',
        ),
        migrations.RemoveField(
            model_name='aarversion',
            name='goal',
        ),
        migrations.RemoveField(
            model_name='aarversion',
            name='next_steps',
        ),
        migrations.RemoveField(
            model_name='aarversion',
            name='not_achieved',
        ),
    ]
