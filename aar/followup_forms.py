from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aar.followup_queries import sessions_needing_followup
from aar.models import Commitment
from peerassist.forms import DateRangeMixin, HandDrawnFieldsMixin, ThaiDateField
from peerassist.widgets import FastSelect
from sessions_app.models import AssistSession, Organisation


class DashboardFilterForm(HandDrawnFieldsMixin, DateRangeMixin, forms.Form):
    """The dashboard's filters. They live in the URL, so a filtered view is a bookmark.
    Fields in the order the page shows them."""

    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    followup = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[
            ("", _("Any")),
            ("overdue", _("Overdue")),
            ("missing", _("AARs missing")),
            ("complete", _("Every AAR in")),
            ("not_invited", _("Nobody invited yet")),
        ],
        required=False,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *AssistSession.Status.choices],
        required=False,
        widget=FastSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=FastSelect,
    )
    facilitator = forms.ModelChoiceField(
        label=_("Facilitator"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=FastSelect,
    )
    # Typed as day/month/year, in Thai with a Buddhist-era year (a date picker shows
    # Christian-era years whatever the page's language).
    date_from = ThaiDateField(label=_("From"), required=False)
    date_to = ThaiDateField(label=_("To"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Organisation.objects.filter(memberships__user=user)
        self.fields["organisation"].queryset = mine
        self.fields["facilitator"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation__in=mine)
            .distinct()
            .order_by("first_name", "username")
            .only("pk", "first_name", "last_name", "username")
        )
        self.fields["facilitator"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.style_fields()

    def apply(self, sessions):
        """The sessions matching the valid filters (all of them while the form is invalid)."""
        if not self.is_valid():
            return sessions
        data = self.cleaned_data
        if data["q"]:
            sessions = sessions.filter(title__icontains=data["q"].strip())
        if data["organisation"]:
            sessions = sessions.filter(organiser=data["organisation"])
        if data["facilitator"]:
            sessions = sessions.filter(facilitator=data["facilitator"])
        if data["status"]:
            sessions = sessions.filter(status=data["status"])
        if data["date_from"]:
            sessions = sessions.filter(date__gte=data["date_from"])
        if data["date_to"]:
            sessions = sessions.filter(date__lte=data["date_to"])
        return sessions

    def organisations(self):
        """The organisations whose every active session the dashboard covers, when no
        filter but the organisation narrows them (their totals are kept a month at a
        time); None when another filter does."""
        if not self.is_valid():
            return self.fields["organisation"].queryset
        data = self.cleaned_data
        others = ("q", "facilitator", "status", "date_from", "date_to", "followup")
        if any(data[name] for name in others):
            return None
        if data["organisation"]:
            return Organisation.objects.filter(pk=data["organisation"].pk)
        return self.fields["organisation"].queryset

    @property
    def followup_kind(self) -> str:
        """The follow-up filter chosen, or "" (also while the form is invalid)."""
        return self.cleaned_data["followup"] if self.is_valid() else ""

    def apply_followup(self, sessions):
        """The follow-up filter, on sessions annotated ``with_followup()``."""
        if not self.followup_kind:
            return sessions
        return sessions_needing_followup(sessions, self.followup_kind)


class OutcomesFilterForm(DashboardFilterForm):
    """The dashboard's filters, and the commitment's status (the outcomes page)."""

    commitment = forms.ChoiceField(
        label=_("Commitment status"),
        choices=[
            ("", _("Any")),
            ("still_open", _("Open (no answer, partly done or not yet)")),
            *Commitment.Status.choices,
        ],
        required=False,
        widget=FastSelect,
    )

    @property
    def commitment_status(self) -> str:
        """The commitment status chosen, or "" (also while the form is invalid)."""
        return self.cleaned_data["commitment"] if self.is_valid() else ""
