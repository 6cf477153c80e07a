"""Before the session, through the personal link: what the person hopes to learn or
contribute. (The host team's brief uses ``sessions_app.forms.BriefForm``.)"""

from django import forms
from django.utils.translation import gettext_lazy as _

EXPECTATION_MAX_LENGTH = 5_000


class ExpectationForm(forms.Form):
    expectation = forms.CharField(
        label=_("What I hope to learn or contribute"),
        help_text=_(
            "A few lines for the host and the facilitator. After the session, your AAR's "
            "first answer starts from it."
        ),
        required=False,
        max_length=EXPECTATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": EXPECTATION_MAX_LENGTH}),
    )
