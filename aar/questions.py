"""The questions of a session's AARs, where pages and emails outside the AAR form need
them: the labels that the invitation and reminder emails list."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aar.models import parts_of, question_set_of


def question_labels(session) -> list[str]:
    """The labels of the session's questions, in order, in the active language."""
    return [str(part.label) for part in parts_of(question_set_of(session))]


def link_email_context(participant) -> dict:
    """What the AAR app adds to every email with a personal link: the questions, and
    the link to write before the session what one hopes to learn or contribute."""
    session = participant.session
    context = {"question_labels": question_labels(session)}
    if timezone.localdate() <= session.date:
        context["before_link"] = settings.SITE_URL + reverse("aar:before", args=[participant.token])
    return context
