from django.contrib import admin
from django.urls import include, path

from peerassist import views

# These public paths are sent to people and never change:
# /aar/<token>/, /join/<code>/, /followup/, /accounts/login/, /admin/, /healthz
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before Django's own: a new password also lifts the account's sign-in lock-outs.
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("aar/", include("aar.urls")),
    # Shared AARs and their comments, by personal link: /aar/<token>/shared/… (issue 18).
    path("aar/", include("lessons.link_urls")),
    path("lessons/", include("lessons.urls")),
    # The funder's view (issue 20), before the follow-up pages it sits among.
    path("followup/trends/", include("trends.urls")),
    path("followup/", include("aar.followup_urls")),
    path("", include("aar.history_urls")),
    path("", include("sessions_app.urls")),
]

handler400 = "peerassist.views.bad_request"
handler403 = "peerassist.views.permission_denied"
handler404 = "peerassist.views.page_not_found"
handler500 = "peerassist.views.server_error"
