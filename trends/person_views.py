"""A person's history across the sessions the viewer may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trends.person import get_person_for_user, person_history


@login_required
@require_GET
def person(request, participant_pk: int):
    person = get_person_for_user(request, participant_pk)
    context = person_history(person=person, user=request.user)
    return render(
        request,
        "trends/person.html",
        {
            **context,
            "person": person,
            "title": _("%(name)s: history across sessions") % {"name": person.full_name},
        },
    )
