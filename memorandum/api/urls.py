"""The API under ``/api/`` (no language prefix: the language comes from ``Accept-Language``)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from memorandum.api import roadmap, views

app_name = "api"

EDITION = "v1/editions/<slug:slug>/"
INITIATIVE = EDITION + "initiatives/<int:pk>/"

urlpatterns = [
    path("", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/editions/", views.EditionList.as_view(), name="editions"),
    path(EDITION, views.EditionDetail.as_view(), name="edition"),
    path(EDITION + "domains/", views.DomainList.as_view(), name="domains"),
    path(EDITION + "recommendations/", views.RecommendationList.as_view(), name="recommendations"),
    path(
        EDITION + "recommendations/<str:code>/",
        views.RecommendationDetail.as_view(),
        name="recommendation",
    ),
    path(
        EDITION + "recommendations/<str:code>/versions/",
        views.RecommendationVersions.as_view(),
        name="versions",
    ),
    path(EDITION + "decisions/", views.DecisionList.as_view(), name="decisions"),
    path(EDITION + "publications/", views.PublicationList.as_view(), name="publications"),
    path(EDITION + "surveys/", views.SurveyList.as_view(), name="surveys"),
    path(EDITION + "surveys/<int:pk>/", views.SurveyDetail.as_view(), name="survey"),
    path(EDITION + "surveys/<int:pk>/results/", views.SurveyResults.as_view(), name="results"),
    path(EDITION + "initiatives/", roadmap.InitiativeList.as_view(), name="initiatives"),
    path(INITIATIVE, roadmap.InitiativeDetail.as_view(), name="initiative"),
    path(INITIATIVE + "updates/", roadmap.UpdateCreate.as_view(), name="updates"),
    path(
        INITIATIVE + "milestones/<int:milestone>/done/",
        roadmap.MilestoneDone.as_view(),
        name="milestone_done",
    ),
    path(INITIATIVE + "measurements/", roadmap.MeasurementCreate.as_view(), name="measurements"),
]

# Anything else under /api/ (a malformed id or slug included) is a problem+json 404, not the
# site's HTML page.
urlpatterns.append(re_path(r"^[\s\S]*$", views.not_found, name="not_found"))
