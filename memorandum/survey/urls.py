from django.urls import path

from memorandum.survey import views

app_name = "survey"

urlpatterns = [
    path("survey/ballot/<str:token>/", views.ballot_by_link, name="ballot_token"),
    path("editions/<slug:slug>/surveys/", views.survey_list, name="list"),
    path("editions/<slug:slug>/surveys/new/", views.survey_create, name="create"),
    path("editions/<slug:slug>/surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("editions/<slug:slug>/surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/do/<str:action>/", views.survey_action, name="action"
    ),
    path("editions/<slug:slug>/surveys/<int:pk>/count/", views.count_status, name="count_status"),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/invitations/<int:invitation>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/participation/",
        views.participation_page,
        name="participation",
    ),
    path("editions/<slug:slug>/surveys/<int:pk>/ballot/", views.my_ballot, name="my_ballot"),
    path("editions/<slug:slug>/surveys/<int:pk>/results/", views.results_page, name="results"),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/results/<str:name>.svg",
        views.results_chart,
        name="chart",
    ),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/results/ballots.csv",
        views.ballots_export,
        name="ballots_export",
    ),
    path(
        "editions/<slug:slug>/surveys/<int:pk>/results/export.<str:fmt>",
        views.results_export,
        name="export",
    ),
]
