"""The search page's form: the query and its filters, all in the URL (GET), so every
search is an address that can be shared. A filter that cannot be used is an error beside
its field; the value typed stays in the box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aar.models import (
    ARMY_PARTS,
    BUILT_IN_NAMES,
    KMI_PARTS,
    PROMPT_THEMES,
    QuestionSet,
    for_readers,
)
from lessons import search, themes
from lessons.models import SearchEntry
from peerassist.forms import DateRangeMixin, HandDrawnFieldsMixin, ThaiDateField
from peerassist.widgets import FastSelect
from sessions_app.models import Organisation, Participant

# The kinds of row a "part" may also name (answers are chosen by their question).
OTHER_KINDS = [kind for kind in SearchEntry.Kind if kind != SearchEntry.Kind.ANSWER]
SORTS = [("relevance", _("Best match first")), ("date", _("Newest session first"))]


class QueryField(forms.CharField):
    """The words searched for. Anything may be typed: what cannot be searched for
    (control and zero-width characters, the text past ``search.MAX_QUERY``) is dropped
    by ``search.parse``, never refused, so no query is a "null character" error."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = []

    def to_python(self, value):
        return search.parse(value if isinstance(value, str) else "")


class SearchForm(HandDrawnFieldsMixin, DateRangeMixin, forms.Form):
    """Drawn by hand (``includes/filter_field.html``): crispy's field templates took
    8 of the page's 31 ms."""

    q = QueryField(
        label=_("Search for"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organising organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
        widget=FastSelect,
    )
    # A session's number, from a link such as a session page's "search its lessons"; shown
    # as a box only when it cannot be used (its error beside it).
    session = forms.CharField(label=_("Session number"), required=False, strip=True)
    role = forms.ChoiceField(
        label=_("Writer's role"),
        choices=[("", _("Any role")), *Participant.Role.choices],
        required=False,
        help_text=_("Answers shown without the writer's name are left out."),
        widget=FastSelect,
    )
    part = forms.ChoiceField(label=_("Part"), required=False, widget=FastSelect)
    question_set = forms.ChoiceField(label=_("Question set"), required=False, widget=FastSelect)
    date_from = ThaiDateField(label=_("Sessions from"), required=False)
    date_to = ThaiDateField(label=_("Sessions to"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False, widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.chosen_session = None
        self.fields["organisation"].queryset = search.readable_organisations(user)
        self.fields["part"].choices = [
            ("", _("Any part")),
            (BUILT_IN_NAMES["kmi"], [(p.key, p.label) for p in map(for_readers, KMI_PARTS)]),
            (BUILT_IN_NAMES["army"], [(part.key, part.label) for part in ARMY_PARTS]),
            (_("Other writing"), [(kind.value, kind.label) for kind in OTHER_KINDS]),
            (
                _("Themes, in every question set"),
                [(themes.THEME_FILTER + key, label) for key, label in PROMPT_THEMES.items()],
            ),
        ]
        # The built-in sets by their names, then the user's organisations' own sets.
        custom = (
            QuestionSet.objects.for_user(user)
            .filter(organisation__isnull=False)
            .order_by("name_th", "pk")
        )
        self.fields["question_set"].choices = [
            ("", _("Any question set")),
            *BUILT_IN_NAMES.items(),
            *((qs.slug, qs.name) for qs in custom),
        ]
        self.style_fields()

    def clean_session(self):
        raw = self.cleaned_data["session"]
        if not raw:
            return None
        # Unknown and unreadable read the same: the answer never says a session exists.
        message = _("There is no session with that number that you may read.")
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
            raise forms.ValidationError(
                _("Type a session's number (digits only)."), code="invalid_session"
            )
        session = search.readable_sessions(self.user).filter(pk=int(raw)).first()
        if session is None:
            raise forms.ValidationError(message, code="unreadable_session")
        self.chosen_session = session
        return session

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query.error:
            raise forms.ValidationError(query.error, code="unusable_query")
        return query

    @property
    def filtered(self) -> bool:
        """Whether any filter (not the query, not the order) was given."""
        return any(
            self.data.get(name) for name in self.fields if name not in ("q", "sort", "session")
        )

    def filters(self) -> dict:
        """The valid filters, as ``search.search`` takes them."""
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "session": data["session"],
            "role": data["role"],
            "part": data["part"],
            "question_set": data["question_set"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
