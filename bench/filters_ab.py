"""The dashboard's filters rendered as now (FastSelect and hand-written fields) against
Django's Select and crispy-forms, in process on the benchmark's data: whether the
faster rendering still earns its place (more than 10% of the page, STYLE.md).

    SQLITE_PATH=var/bench/bench-1.0.sqlite3 python -m bench.filters_ab fast
    SQLITE_PATH=var/bench/bench-1.0.sqlite3 python -m bench.filters_ab crispy

Run after `make bench` (which makes that database); prints the dashboard's p50.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings

CRISPY_FIELDS = """{% load crispy_forms_filters %}{% for field in form %}
<div class="{% if field.name == 'q' %}col-12 col-md-6{% else %}col-6 col-md-3{% endif %}">
  {{ field|as_crispy_field }}
</div>
{% endfor %}
"""


def main(variant: str, requests: int = 60) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
    os.environ.setdefault("RATELIMIT_TOKEN_PER_MINUTE", "100000")
    folder = tempfile.mkdtemp()
    if variant == "crispy":
        (Path(folder) / "includes").mkdir()
        (Path(folder) / "includes" / "filter_fields.html").write_text(CRISPY_FIELDS)
        settings.TEMPLATES[0]["DIRS"] = [folder, *settings.TEMPLATES[0]["DIRS"]]
    django.setup()
    if variant == "crispy":
        from django import forms

        from peerassist import widgets

        widgets.FastSelect.render = forms.Select.render
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench import dataset

    client = Client()
    client.force_login(get_user_model().objects.get(username=dataset.BENCH_USER))
    for _ in range(5):
        client.get("/followup/")
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get("/followup/")
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{variant}: dashboard p50 {times[len(times) // 2]:.1f} ms in process")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fast")
