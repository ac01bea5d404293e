from django.urls import path

from memorandum.consultation import views

app_name = "consultation"

urlpatterns = [
    path("editions/<slug:slug>/consultation/events/", views.events, name="events"),
    path("editions/<slug:slug>/consultation/events/new/", views.event_new, name="event_new"),
    path("editions/<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("editions/<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("editions/<slug:slug>/proposals/similar/", views.similar_hint, name="similar_hint"),
    path("editions/<slug:slug>/proposals/import/", views.proposal_import, name="import"),
    path(
        "editions/<slug:slug>/proposals/template.xlsx",
        views.import_template,
        name="import_template",
    ),
    path("editions/<slug:slug>/proposals/duplicates/", views.duplicates, name="duplicates"),
    path("editions/<slug:slug>/proposals/merge/", views.merge, name="merge"),
    path("editions/<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path(
        "editions/<slug:slug>/proposals/<int:pk>/withdraw/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "editions/<slug:slug>/proposals/<int:pk>/split/",
        views.proposal_split,
        name="proposal_split",
    ),
    path("editions/<slug:slug>/splits/<int:pk>/undo/", views.split_undo, name="split_undo"),
    path("editions/<slug:slug>/merges/", views.merges, name="merges"),
    path("editions/<slug:slug>/merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path(
        "editions/<slug:slug>/recommendations/<str:code>/provenance/",
        views.recommendation_provenance,
        name="provenance",
    ),
]
