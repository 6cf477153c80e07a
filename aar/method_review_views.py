"""The facilitation team's AAR of the method: one session's review, and the reviews across
sessions, so that the organisation improves how it runs Peer Assists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aar.method_review import method_review_of, method_review_save
from aar.method_review_forms import MethodReviewFilterForm, MethodReviewForm
from aar.models import MethodReview
from sessions_app.access import get_session_for_user
from sessions_app.models import Membership

REVIEWS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def method_review(request, pk):
    """Written by the session's editors, like the host's brief (sessions_app's
    ``session_brief``): read-only members get 403 here and read the review on the
    synthesis page and the list of reviews."""
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    review = method_review_of(session)
    initial = {name: getattr(review, name) for name in MethodReview.FIELDS} if review else {}
    form = MethodReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _review, changed = method_review_save(
            session=session, data=form.cleaned_data, user=request.user
        )
        if changed:
            messages.success(request, _("The review of the method is saved."))
        else:
            messages.info(request, _("Nothing has changed since the last save."))
        return redirect("followup:method_review", pk=session.pk)
    return render(
        request,
        "aar/method_review_form.html",
        {
            "title": _("Review of the method: %(title)s") % {"title": session.title},
            "session": session,
            "method_review": review,
            "form": form,
        },
    )


def non_empty_reviews(user):
    """The reviews of the sessions ``user`` may see that have something written."""
    return MethodReview.objects.for_user(user).exclude(worked="", did_not_work="", change_next="")


@login_required
@require_GET
def method_reviews(request):
    visible = non_empty_reviews(request.user)
    form = MethodReviewFilterForm(request.GET or None, user=request.user, reviews=visible)
    reviews = (
        form.apply(visible)
        .select_related("session__organiser", "session__host", "updated_by")
        .order_by("-session__date", "-session__start_time", "-session_id")
    )
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    # Whether each review can be edited from here, from one query for the whole page.
    coordinated = set(
        Membership.objects.filter(user=request.user, role=Membership.Role.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )
    for review in page:
        review.can_edit = review.session.can_be_edited_by(
            request.user, coordinates=review.session.organiser_id in coordinated
        )
    return render(
        request,
        "aar/method_review_list.html",
        {
            "title": _("Reviews of the method"),
            "form": form,
            "page_obj": page,
            "filtered": bool(request.GET.get("organisation") or request.GET.get("year")),
        },
    )
