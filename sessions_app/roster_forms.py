"""Forms for the roster, bulk add and walk-in."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sessions_app import bulk
from sessions_app.models import AssistSession, Organisation, Participant


def session_organisations(session: AssistSession):
    """The session's host and peers: what walk-ins choose from."""
    return Organisation.objects.filter(Q(pk=session.host_id) | Q(peer_sessions=session)).distinct()


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["full_name", "email", "organisation", "role", "language"]
        help_texts = {"email": _("Optional. Used to send the personal AAR link.")}
        error_messages = {
            "full_name": {"required": _("Enter the person's name.")},
            "email": {"invalid": _("Enter an email address like name@example.org.")},
            "organisation": {"invalid_choice": _("Choose the organisation from the list.")},
            "role": {
                "required": _("Choose the person's role."),
                "invalid_choice": _("Choose the person's role from the list."),
            },
            "language": {
                "required": _("Choose the language of the person's AAR."),
                "invalid_choice": _("Choose the language of the person's AAR from the list."),
            },
        }

    def __init__(self, *args, session: AssistSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = _("— none —")
        self.fields["email"].widget.attrs.update(autocomplete="off", inputmode="email")
        self.fields["full_name"].widget.attrs.update(autocomplete="off")
        if not self.instance.pk and session.host_id:
            self.initial.setdefault("organisation", session.host_id)

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email:
            taken = self.session.participants.filter(email=email)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("This email is already on the session's roster (%(name)s)."),
                    params={"name": taken.first().full_name},
                )
        return email


class BulkAddForm(forms.Form):
    text = forms.CharField(
        label=_("Paste one person a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "name, email, organisation, role — separated by commas, or copied straight "
            "from a spreadsheet. Email and role may be left empty."
        ),
    )
    file = forms.FileField(
        label=_("…or upload a CSV file"),
        required=False,
        help_text=_("From Excel or Google Sheets: save as “CSV UTF-8”. At most 1 MB, 1,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > bulk.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB. Split it into smaller files.")
            )
        try:
            return bulk.decode(upload.read())
        except bulk.BulkInputError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        try:
            bulk.check_size(text)
        except bulk.BulkInputError as error:
            raise forms.ValidationError(str(error)) from None
        return text

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("file") or cleaned.get("text", "").strip()):
            # On the box, so the error summary links to it: pasting is the usual way.
            self.add_error("text", _("Paste some lines or choose a file."))
        return cleaned

    @property
    def content(self) -> str:
        """The text to read: the file wins over the box when both are given."""
        return self.cleaned_data.get("file") or self.cleaned_data.get("text", "")


class BulkConfirmForm(forms.Form):
    """The previewed text comes back in a hidden field and is checked again."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            bulk.check_size(text)
        except bulk.BulkInputError as error:
            raise forms.ValidationError(str(error)) from None
        return text


WALKIN_ROLES = [
    (role.value, role.label)
    for role in (
        Participant.Role.HOST,
        Participant.Role.PEER,
        Participant.Role.NOTE_TAKER,
        Participant.Role.OBSERVER,
    )
]


class WalkinForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Your role"),
        choices=WALKIN_ROLES,
        error_messages={"required": _("Choose your role in the session.")},
    )

    class Meta:
        model = Participant
        fields = ["full_name", "email", "organisation", "role", "language"]
        labels = {
            "full_name": _("Your name"),
            "email": _("Your email"),
            "organisation": _("Your organisation"),
            "language": _("Language for your AAR"),
        }
        help_texts = {
            "email": _(
                "If you have joined before with this email, we email your personal link to it."
            ),
        }
        error_messages = {
            "full_name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your email: your personal AAR link is sent to it."),
                "invalid": _("Enter an email address like name@example.org."),
            },
            "organisation": {"invalid_choice": _("Choose your organisation from the list.")},
            "language": {"required": _("Choose the language for your AAR.")},
        }

    def __init__(self, *args, session: AssistSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["email"].required = True
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
        self.fields["full_name"].widget.attrs.update(autocomplete="name")
        self.fields["organisation"].queryset = session_organisations(session)
        self.fields["organisation"].empty_label = _("Another organisation, or none")
        self.fields["role"].initial = Participant.Role.PEER

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        # The same email again is the same person, handled by services.walkin_join; an
        # error here would tell anyone whether an address is on the roster.
        pass
