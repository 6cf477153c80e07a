"""The audit log of exports and erasures, for the coordinators of the organisations
whose data they were."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.models import AuditEntry
from sessions_app.models import Membership

ENTRIES_PER_PAGE = 25


@login_required
@require_GET
def audit_log(request):
    """Newest first. A member who coordinates no organisation gets the page with an
    explanation and no entries (the dashboard links here for every member: knowing
    who coordinates would cost the dashboard a query)."""
    coordinates = Membership.objects.filter(
        user=request.user, role=Membership.Role.COORDINATOR
    ).exists()
    entries = (
        AuditEntry.objects.for_coordinator(request.user)
        .select_related("actor", "session", "organisation")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "aar/audit_log.html",
        {
            "title": _("Audit log"),
            "coordinates": coordinates,
            "page_obj": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
        },
    )
