from django.urls import path

from memorandum.impact import views

app_name = "impact"
ROOT = "editions/<slug:slug>/impact/"

urlpatterns = [
    path("impact/estimate/<str:token>/", views.estimate_by_link, name="estimate_token"),
    path(ROOT, views.mission_list, name="missions"),
    path(ROOT + "new/", views.mission_edit, name="mission_create"),
    path(ROOT + "<int:pk>/", views.mission_detail, name="mission"),
    path(ROOT + "<int:pk>/edit/", views.mission_edit, name="mission_edit"),
    path(ROOT + "rounds/<int:pk>/", views.round_detail, name="round"),
    path(ROOT + "rounds/<int:pk>/do/<str:action>/", views.round_action, name="round_action"),
    path(ROOT + "rounds/<int:pk>/estimate/", views.my_estimate, name="my_estimate"),
    path(ROOT + "rounds/<int:pk>/report/", views.report_page, name="report"),
    path(ROOT + "rounds/<int:pk>/report/<str:filename>", views.report_download, name="download"),
]
