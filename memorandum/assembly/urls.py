from django.urls import path

from memorandum.assembly import views

app_name = "assembly"

urlpatterns = [
    path("editions/<slug:slug>/assembly/", views.meetings, name="meetings"),
    path("editions/<slug:slug>/assembly/new/", views.meeting_new, name="meeting_new"),
    path("editions/<slug:slug>/assembly/adopted/", views.adopted, name="adopted"),
    path(
        "editions/<slug:slug>/recommendations/<str:code>/decisions/",
        views.recommendation_decisions,
        name="recommendation",
    ),
    path("editions/<slug:slug>/assembly/<int:pk>/", views.meeting_detail, name="meeting"),
    path("editions/<slug:slug>/assembly/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        "editions/<slug:slug>/assembly/<int:pk>/agenda/new/",
        views.agenda_item_new,
        name="agenda_item_new",
    ),
    path(
        "editions/<slug:slug>/assembly/<int:pk>/agenda/<int:item_pk>/decision/",
        views.decision_new,
        name="decision_new",
    ),
    path(
        "editions/<slug:slug>/assembly/<int:pk>/agenda/<int:item_pk>/decision/<int:decision_pk>/correct/",
        views.decision_correct,
        name="decision_correct",
    ),
    path("editions/<slug:slug>/assembly/<int:pk>/publish/", views.meeting_publish, name="publish"),
    path(
        "editions/<slug:slug>/assembly/<int:pk>/delete/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "editions/<slug:slug>/assembly/<int:pk>/minutes-<str:lang>.<str:fmt>",
        views.minutes,
        name="minutes",
    ),
]
