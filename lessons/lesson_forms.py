"""The lesson pages' forms: making a lesson of search results, changing it, moving its
status, recording where it was reused, and the list's filters. Each error is beside its
field and what was typed stays in the box."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lessons import lessons
from lessons.comment_forms import _clean_text
from lessons.models import Lesson, LessonReuse, SearchEntry
from lessons.search import readable
from peerassist.dates import format_thai_date
from peerassist.forms import HandDrawnFieldsMixin
from peerassist.widgets import FastSelect
from sessions_app.models import AssistSession, Organisation

RECENT_SESSIONS = 100


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class EntryChoiceField(forms.ModelMultipleChoiceField):
    """The search rows chosen as sources, each labelled with its session and the start
    of its text (the user may read them: the queryset is theirs only)."""

    def label_from_instance(self, obj) -> str:
        text = " ".join(obj.text.split())
        if len(text) > 160:
            text = text[:160] + "…"
        return f"{obj.session.title} · {text}"


def _clean(value: str) -> str:
    return _clean_text(value or "")


class LessonFields(forms.Form):
    """What a lesson says and who owns it: its creation's and its edit's form."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the lesson a title.")},
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    statement = forms.CharField(
        label=_("The lesson"),
        max_length=5000,
        help_text=_("What was learned, said so that someone else can act on it."),
        error_messages={"required": _("Write the lesson itself.")},
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("No owner yet"),
        help_text=_("Who looks after the lesson and moves it on."),
        error_messages={"invalid_choice": _("Choose one of the people offered.")},
    )

    def clean_title(self) -> str:
        title = " ".join(_clean(self.cleaned_data["title"]).split())
        if not title:
            raise forms.ValidationError(_("Give the lesson a title."), code="required")
        return title

    def clean_statement(self) -> str:
        statement = _clean(self.cleaned_data["statement"])
        if not statement:
            raise forms.ValidationError(_("Write the lesson itself."), code="required")
        return statement


class LessonCreateForm(LessonFields):
    """A lesson from chosen search results. ``entry`` (the rows, from the search page's
    checkboxes) may be unticked here; only rows the user may read can be chosen."""

    entry = EntryChoiceField(
        label=_("Sources"),
        queryset=SearchEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one search result to make a lesson of."),
            "invalid_choice": _("Some of the chosen results are not yours to use."),
            "invalid_pk_value": _("Some of the chosen results are not yours to use."),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Its members read the lesson; its coordinators change it."),
        error_messages={"invalid_choice": _("Choose an organisation you coordinate.")},
    )
    field_order = ["entry", "title", "statement", "organisation", "owner"]

    def __init__(self, *args, user, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        coordinated = lessons.coordinated_organisations(user).order_by("name")
        self.fields["organisation"].queryset = coordinated
        self.fields["owner"].queryset = lessons.owners_for(coordinated)
        self.fields["owner"].initial = user.pk
        # Only the chosen rows are offered (never every row the user may read), and
        # only those they may read.
        pks = [int(pk) for pk in chosen if pk.isascii() and pk.isdigit() and len(pk) <= 12]
        self.fields["entry"].queryset = (
            readable(user)
            .filter(pk__in=pks[: lessons.MAX_SOURCES + 1])
            .select_related("session")
            .order_by("session__date", "pk")
        )
        self.fields["entry"].initial = pks

    def clean_entry(self):
        entries = self.cleaned_data["entry"]
        if len(entries) > lessons.MAX_SOURCES:
            raise forms.ValidationError(
                _("A lesson can have at most %(max)s sources.") % {"max": lessons.MAX_SOURCES},
                code="too_many",
            )
        return entries

    def clean(self):
        data = super().clean()
        owner, organisation = data.get("owner"), data.get("organisation")
        if (
            owner is not None
            and organisation is not None
            and not lessons.is_member(owner, organisation)
        ):
            self.add_error("owner", _("The owner must be a member of the organisation."))
        return data


class LessonEditForm(LessonFields):
    def __init__(self, *args, lesson: Lesson, **kwargs):
        initial = {"title": lesson.title, "statement": lesson.statement, "owner": lesson.owner_id}
        super().__init__(*args, initial=initial, **kwargs)
        self.lesson = lesson
        self.fields["owner"].queryset = lessons.owners_for([lesson.organisation_id])


class UrlField(forms.URLField):
    """A link that opens on the web: http or https only."""

    default_error_messages = {
        "invalid": _("Type a whole web address, starting with https:// or http://."),
    }

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not value.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class LessonMoveForm(forms.Form):
    """The one next step of a lesson. ``to_status`` travels with the form so that a form
    left open after someone else moved the lesson is refused, not applied one step on."""

    to_status = forms.ChoiceField(choices=Lesson.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        help_text=_("What was seen to change, and where."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    evidence_url = UrlField(
        label=_("Link to the evidence"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"maxlength": 500, "placeholder": "https://"}),
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        self.next_status = lesson.next_status
        if self.next_status:
            self.fields["to_status"].initial = self.next_status
        needs_reason = self.next_status in Lesson.NEEDS_REASON
        needs_evidence = self.next_status in Lesson.NEEDS_EVIDENCE
        self.fields["reason"].label = _("Why (required)") if needs_reason else _("Why (optional)")
        if not needs_evidence:
            del self.fields["evidence"]
            del self.fields["evidence_url"]
        else:
            self.fields["evidence"].label = _("Evidence (required)")
            self.fields["evidence_url"].label = _("Link to the evidence (required)")

    def clean_reason(self) -> str:
        return _clean(self.cleaned_data["reason"])

    def clean_evidence(self) -> str:
        return _clean(self.cleaned_data["evidence"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for problem in lessons.move_problems(
            from_status=self.lesson.status,
            to_status=data.get("to_status", ""),
            reason=data.get("reason", ""),
            evidence=data.get("evidence", ""),
            evidence_url=data.get("evidence_url", ""),
        ):
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return data


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} · {format_thai_date(obj.date)}"


class ReuseForm(forms.Form):
    session = SessionChoiceField(
        label=_("Session"),
        queryset=AssistSession.objects.none(),
        empty_label=_("Choose a session"),
        help_text=_("The most recent sessions of the lesson's organisation."),
        error_messages={
            "required": _("Choose the session that drew on this lesson."),
            "invalid_choice": _("Choose a session organised by the lesson's organisation."),
        },
    )
    note = forms.CharField(
        label=_("How it was used (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        sessions = lessons.reuse_sessions(lesson).exclude(
            pk__in=LessonReuse.objects.filter(lesson=lesson).values("session_id")
        )
        recent = sessions.order_by("-date", "-pk").values("pk")[:RECENT_SESSIONS]
        self.fields["session"].queryset = (
            lessons.reuse_sessions(lesson).filter(pk__in=recent).order_by("-date", "-pk")
        )

    def clean_note(self) -> str:
        return " ".join(_clean(self.cleaned_data["note"]).split())

    def clean_session(self):
        session = self.cleaned_data["session"]
        if LessonReuse.objects.filter(lesson=self.lesson, session=session).exists():
            raise forms.ValidationError(
                _("That session is already recorded as drawing on it."), code="duplicate"
            )
        return session


class LessonFilterForm(HandDrawnFieldsMixin, forms.Form):
    """The list's filters, in the URL (GET), drawn by hand (``includes/filter_fields.html``)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All my organisations"),
        error_messages={"invalid_choice": _("Choose one of your organisations.")},
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the statuses.")},
        widget=FastSelect,
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Anyone"),
        error_messages={"invalid_choice": _("Choose one of the people offered.")},
        widget=FastSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = lessons.organisations_of(user).order_by("name")
        self.fields["organisation"].queryset = mine
        self.fields["status"].choices = [("", _("Any status")), *Lesson.Status.choices]
        self.fields["owner"].queryset = lessons.owners_for(mine)
        self.style_fields()

    def filter(self, rows):
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["organisation"] is not None:
            rows = rows.filter(organisation=data["organisation"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["owner"] is not None:
            rows = rows.filter(owner=data["owner"])
        return rows
