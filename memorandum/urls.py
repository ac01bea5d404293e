"""Top-level URLs: the language prefix (/nl/, /fr/, /en/) then one include per app.

The back office (Django's admin) answers under one address only, ``/admin/``, not under
every language prefix: one login page to protect and to watch.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from memorandum import views

admin.site.site_header = "Memorandum"
admin.site.site_title = "Memorandum"
admin.site.index_title = "Back office"

handler400 = "memorandum.lib.middleware.bad_request"
handler403 = "memorandum.views.permission_denied"
handler404 = "memorandum.views.page_not_found"
handler500 = "memorandum.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("memorandum.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/lock-outs/", views.lockouts, name="lockouts"),
    # The survey first: its ballot link is the URL most requested at once (every zone in
    # the last days of a survey), and a URL is resolved by trying the patterns in order.
    path("", include("memorandum.survey.urls")),
    path("", include("memorandum.catalogue.urls")),
    path("", include("memorandum.consultation.urls")),
    path("", include("memorandum.assembly.urls")),
    path("", include("memorandum.publication.urls")),
    path("", include("memorandum.roadmap.urls")),
    path("", include("memorandum.impact.urls")),
    path("", include("memorandum.audit.urls")),
    path("", include("memorandum.accounts.urls")),
    path("", include("memorandum.imports.urls")),
    path("", include("memorandum.api.tokens_urls")),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
