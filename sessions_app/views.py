from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sessions_app import session_services
from sessions_app.access import get_session_for_user
from sessions_app.forms import OrganisationForm, SessionForm
from sessions_app.models import AssistSession, Membership

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


def _add_organisation(request) -> tuple[OrganisationForm | None, QueryDict]:
    """Create the organisation typed in the fieldset and choose it in the typed data.

    Returns the organisation form when it has errors (None once added), and the data.
    """
    org_form = OrganisationForm(request.POST, prefix="new_org")
    data = request.POST.copy()
    if not org_form.is_valid():
        return org_form, data
    organisation = session_services.organisation_create(
        name=org_form.cleaned_data["name"],
        short_name=org_form.cleaned_data["short_name"],
        name_en=org_form.cleaned_data["name_en"],
    )
    if org_form.cleaned_data["use_as"] == OrganisationForm.Use.HOST:
        data["host"] = str(organisation.pk)
        message = _("%(name)s was added and chosen as the host organisation.")
    else:
        data.setlist("peers", [*data.getlist("peers"), str(organisation.pk)])
        message = _("%(name)s was added and ticked as a peer organisation.")
    messages.success(request, message % {"name": organisation})
    return None, data


def _session_form_page(request, *, session=None):
    """Create and edit share this: save, or add an organisation and show the form again."""
    instance = session or AssistSession()
    org_form = None
    if request.method == "POST" and "add_organisation" in request.POST:
        org_form, data = _add_organisation(request)
        form = SessionForm(instance=instance, user=request.user)
        form.initial.update(_typed_values(form, data))
    elif request.method == "POST":
        form = SessionForm(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            if session is None:
                session = session_services.session_create(form=form, created_by=request.user)
                messages.success(request, _("The session was recorded."))
            else:
                session = session_services.session_update(form=form)
                messages.success(request, _("The session was saved."))
            return redirect(session)
    else:
        form = SessionForm(instance=instance, user=request.user)

    if org_form is None:
        # A fresh fieldset; a new organisation is the host until the host is chosen.
        use_as = OrganisationForm.Use.PEER if form["host"].value() else OrganisationForm.Use.HOST
        org_form = OrganisationForm(prefix="new_org", initial={"use_as": use_as})
    return render(
        request,
        "sessions_app/session_form.html",
        {
            "title": session.title if session else _("Record a session"),
            "session": session,
            "form": form,
            "org_form": org_form,
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
def session_detail(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    participants = list(
        session.participants.active()
        .select_related("organisation", "aar")
        .order_by("full_name", "pk")
    )
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
            "place_is_link": session.place.startswith(("https://", "http://")),
        },
    )


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
