import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sessions_app import session_services
from sessions_app.access import get_session_for_user
from sessions_app.forms import BriefForm, OrganisationForm, SessionForm
from sessions_app.models import AssistSession, Membership, Participant

RECENT_PER_PAGE = 20


@login_required
def home(request):
    visible = (
        AssistSession.objects.for_user(request.user)
        .with_counts()
        .select_related("host", "facilitator")
    )
    today = timezone.localdate()
    show_archived = request.GET.get("show") == "archived"
    if show_archived:
        upcoming = AssistSession.objects.none()
        past = visible.archived().order_by("-date", "-start_time", "-pk")
    else:
        upcoming = visible.active().filter(date__gte=today).order_by("date", "start_time", "pk")
        past = visible.active().filter(date__lt=today).order_by("-date", "-start_time", "-pk")
    recent = Paginator(past, RECENT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions_app/home.html",
        {
            "title": _("Archived sessions") if show_archived else _("My sessions"),
            "show_archived": show_archived,
            "upcoming": list(upcoming),
            "recent": recent,
            "can_record": Membership.objects.filter(user=request.user).exists(),
        },
    )


def _typed_values(form: SessionForm, data: QueryDict) -> dict:
    """What the person typed, as initial values: re-shown without 'required' errors."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


# --- Drafts: what was typed in the session form while an organisation is added --------
# Kept in the person's (server-side) session under a random key that travels in the URL,
# so two tabs keep two drafts. Only the session form's own fields are kept.
DRAFTS = "session_form_drafts"
MAX_DRAFTS = 5


def _draft_target(session) -> str:
    return str(session.pk) if session else "new"


def _draft_save(request, *, session, data: QueryDict, key: str = "") -> str:
    drafts = request.session.get(DRAFTS, {})
    if key not in drafts:
        key = secrets.token_urlsafe(9)
    drafts.pop(key, None)  # to the end: the oldest are dropped first
    drafts[key] = {
        "target": _draft_target(session),
        "data": {name: data.getlist(name) for name in SessionForm.base_fields if name in data},
    }
    request.session[DRAFTS] = dict(list(drafts.items())[-MAX_DRAFTS:])
    return key


def _draft_load(request, *, session, key: str) -> QueryDict | None:
    """The typed values of a draft for this form, or None (unknown, expired, or another
    session's)."""
    draft = request.session.get(DRAFTS, {}).get(key)
    if not draft or draft["target"] != _draft_target(session):
        return None
    data = QueryDict(mutable=True)
    for name, values in draft["data"].items():
        data.setlist(name, values)
    return data


def _draft_discard(request, key: str) -> None:
    drafts = request.session.get(DRAFTS, {})
    if drafts.pop(key, None) is not None:
        request.session[DRAFTS] = drafts


def _session_form_url(session, draft: str = "") -> str:
    url = (
        reverse("sessions_app:session_edit", args=[session.pk])
        if session
        else reverse("sessions_app:session_create")
    )
    return f"{url}?{urlencode({'draft': draft})}#organisations" if draft else url


def _organisation_step_url(session, draft: str) -> str:
    url = (
        reverse("sessions_app:session_edit_organisation", args=[session.pk])
        if session
        else reverse("sessions_app:session_create_organisation")
    )
    return f"{url}?{urlencode({'draft': draft})}" if draft else url


def _session_form_page(request, *, session=None):
    """Create and edit share this. "Add an organisation" keeps what was typed as a draft
    and goes to the organisation step, which comes back here with the draft."""
    instance = session or AssistSession()
    if request.method == "POST" and "add_organisation" in request.POST:
        draft = _draft_save(
            request, session=session, data=request.POST, key=request.POST.get("draft", "")
        )
        if any(name.startswith("new_org-") for name in request.POST):
            # Sent by a page from before the organisation form had its own page.
            return _organisation_step(request, session=session, draft=draft)
        return redirect(_organisation_step_url(session, draft))
    draft = request.GET.get("draft", "")
    if request.method == "POST":
        form = SessionForm(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            if session is None:
                session = session_services.session_create(form=form, created_by=request.user)
                messages.success(request, _("The session was recorded."))
            else:
                session = session_services.session_update(form=form)
                messages.success(request, _("The session was saved."))
            _draft_discard(request, request.POST.get("draft", ""))
            return redirect(session)
        draft = request.POST.get("draft", "")
    else:
        form = SessionForm(instance=instance, user=request.user)
        typed = _draft_load(request, session=session, key=draft) if draft else None
        if typed is None:
            draft = ""
        else:
            form.initial.update(_typed_values(form, typed))
    return render(
        request,
        "sessions_app/session_form.html",
        {
            "title": session.title if session else _("Record a session"),
            "session": session,
            "form": form,
            "draft": draft,
        },
    )


def _organisation_step(request, *, session, draft: str):
    """The "add an organisation" page: on a valid POST, create it, choose it in the
    draft and go back to the session form."""
    typed = _draft_load(request, session=session, key=draft) if draft else None
    if typed is None:
        draft, typed = "", QueryDict(mutable=True)
    if request.method == "POST":
        org_form = OrganisationForm(request.POST, prefix="new_org")
        if org_form.is_valid():
            organisation = session_services.organisation_create(
                name=org_form.cleaned_data["name"],
                short_name=org_form.cleaned_data["short_name"],
                name_en=org_form.cleaned_data["name_en"],
            )
            if org_form.cleaned_data["use_as"] == OrganisationForm.Use.HOST:
                typed["host"] = str(organisation.pk)
                message = _("%(name)s was added and chosen as the host organisation.")
            else:
                typed.setlist("peers", [*typed.getlist("peers"), str(organisation.pk)])
                message = _("%(name)s was added and ticked as a peer organisation.")
            draft = _draft_save(request, session=session, data=typed, key=draft)
            messages.success(request, message % {"name": organisation})
            return redirect(_session_form_url(session, draft))
    else:
        # A new organisation is the host until the host is chosen.
        use_as = OrganisationForm.Use.PEER if typed.get("host") else OrganisationForm.Use.HOST
        org_form = OrganisationForm(prefix="new_org", initial={"use_as": use_as})
    return render(
        request,
        "sessions_app/organisation_form.html",
        {
            "title": _("Add an organisation"),
            "session": session,
            "org_form": org_form,
            "draft": draft,
            # Never the session form's address: a page reached from an old session form
            # is shown there, and a POST there without "add_organisation" saves.
            "action": _organisation_step_url(session, draft),
            "back_url": _session_form_url(session, draft),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    return _session_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    return _session_form_page(request, session=session)


@login_required
@require_http_methods(["GET", "POST"])
def session_create_organisation(request):
    return _organisation_step(request, session=None, draft=_draft_key(request))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit_organisation(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    return _organisation_step(request, session=session, draft=_draft_key(request))


def _draft_key(request) -> str:
    return request.POST.get("draft") or request.GET.get("draft", "")


@login_required
def session_detail(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    participants = list(
        session.participants.active()
        .select_related("organisation", "aar")
        .annotate(host_commitments=_has_host_commitments())
        .order_by("full_name", "pk")
    )
    host_team, host_team_anonymous = _host_team_commitments(participants)
    if can_edit:
        _add_roster_links(session, participants)
    # Anyone on the roster with an AAR settles it without a query; otherwise someone
    # taken off the roster may still have one.
    has_aars = can_edit and (any(p.aar_status for p in participants) or session.has_aars())
    return render(
        request,
        "sessions_app/session_detail.html",
        {
            "title": session.title,
            "session": session,
            "can_edit": can_edit,
            "peers": list(session.peers.all()),
            "participants": participants,
            "has_aars": has_aars,
            "host_team": host_team,
            "host_team_anonymous": host_team_anonymous,
            "place_is_link": session.place.startswith(("https://", "http://")),
        },
    )


def _has_host_commitments() -> Exists:
    """Whether a person is of the host team and has commitments in a submitted AAR:
    looked up with the roster, so the commitments are then read in one query, and not
    at all when there are none. (String lookups: this app does not import ``aar``.)"""
    return Exists(
        Participant.objects.filter(
            pk=OuterRef("pk"),
            role=Participant.Role.HOST,
            aar__status="submitted",
            aar__commitments__isnull=False,
        )
    )


def _host_team_commitments(participants) -> tuple[list, list]:
    """The host team's people with commitments, each with ``commitments`` (in order,
    with their latest check-back answer), and apart, by text, the commitments their
    writers asked to show without their name: one query, none if there are none."""
    people = [p for p in participants if p.host_commitments]
    prefetch_related_objects([p.aar for p in people], "commitments")
    named, unnamed = [], []
    for person in people:
        commitments = list(person.aar.commitments.all())
        if person.aar.is_anonymous("commitments"):
            unnamed += commitments
        else:
            person.commitments = commitments
            named.append(person)
    unnamed.sort(key=lambda c: (c.text.casefold(), c.text))
    return named, unnamed


ROSTER_LINKS = ("participant_link", "participant_edit", "participant_remove")
_PLACEHOLDER = "987654321987654321"


def _add_roster_links(session, participants) -> None:
    """Set ``links`` on each person: their link, edit and remove URLs. Each kind is
    reversed once for the roster, with a placeholder where the person's id goes
    (``reverse`` three times a person was a fifth of the session page's time)."""
    patterns = {
        name: reverse(f"sessions_app:{name}", args=[session.pk, int(_PLACEHOLDER)]).rpartition(
            _PLACEHOLDER
        )
        for name in ROSTER_LINKS
    }
    for person in participants:
        person.links = {
            name: f"{head}{person.pk}{tail}" for name, (head, _p, tail) in patterns.items()
        }


@login_required
@require_http_methods(["GET", "POST"])
def session_brief(request, pk):
    """The host's brief: written by the session's editors before it is held."""
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    form = BriefForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save(update_fields=list(AssistSession.BRIEF_FIELDS))
        messages.success(request, _("The host's brief is saved."))
        return redirect(reverse("sessions_app:session_detail", args=[session.pk]) + "#brief")
    return render(
        request,
        "sessions_app/session_brief.html",
        {"title": _("The host's brief"), "session": session, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    has_aars = session.has_aars()
    if request.method == "POST":
        try:
            session_services.session_delete(session=session)
        except session_services.SessionHasAARs:
            messages.error(
                request,
                _("This session has AARs, so it cannot be deleted. You can archive it instead."),
            )
            return redirect("sessions_app:session_archive", pk=session.pk)
        messages.success(request, _("The session “%(title)s” was deleted.") % {"title": session})
        return redirect("sessions_app:home")
    return render(
        request,
        "sessions_app/session_confirm_delete.html",
        {
            "title": _("Delete this session?"),
            "session": session,
            "has_aars": has_aars,
            "participant_count": session.participants.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_archive(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    if request.method == "POST":
        if session.is_archived:
            messages.info(request, _("This session is already archived."))
        else:
            session.archive()
            messages.success(
                request,
                _(
                    "The session was archived. It no longer shows on the home page; "
                    "its AARs are kept."
                ),
            )
        return redirect(session)
    return render(
        request,
        "sessions_app/session_confirm_archive.html",
        {"title": _("Archive this session?"), "session": session},
    )


@login_required
@require_POST
def session_unarchive(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    if session.is_archived:
        session.unarchive()
        messages.success(request, _("The session is back on the home page."))
    return redirect(session)
