"""The peer finder's form: a topic, in the URL (GET), so a search is an address. What
cannot be searched for is an error beside the box, and what was typed stays in it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lessons.search_forms import QueryField
from lessons.suggest import key_words
from peerassist.forms import HandDrawnFieldsMixin


class PeerFinderForm(HandDrawnFieldsMixin, forms.Form):
    topic = QueryField(
        label=_("Topic"),
        required=False,
        strip=False,
        help_text=_("A few words of the problem, in Thai or English."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_topic(self) -> list[str]:
        """The topic's key words (``lessons.suggest.key_words``)."""
        query = self.cleaned_data["topic"]  # lessons.search.Query
        if query.error:
            raise forms.ValidationError(query.error, code="unusable_query")
        self.truncated = query.truncated
        if not query.text:
            return []
        words = key_words(query.text)
        if not words:
            raise forms.ValidationError(
                _(
                    "Type a word of three characters or more that is not a common word "
                    "such as “and” or “the”."
                ),
                code="no_key_word",
            )
        return words
