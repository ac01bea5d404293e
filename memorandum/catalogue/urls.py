from django.urls import path

from memorandum.catalogue import process_views, views

app_name = "catalogue"

urlpatterns = [
    path("editions/<slug:slug>/", views.edition_home, name="edition"),
    path("editions/<slug:slug>/catalogue/", views.catalogue, name="catalogue"),
    path("editions/<slug:slug>/changes/", views.edition_changes, name="changes"),
    path("editions/<slug:slug>/process/", process_views.edition_process, name="process"),
    path("editions/<slug:slug>/process/next/", process_views.phase_next, name="phase_next"),
    path("editions/<slug:slug>/process/back/", process_views.phase_back, name="phase_back"),
    path(
        "editions/<slug:slug>/process/plan/<str:phase>/",
        process_views.phase_plan,
        name="phase_plan",
    ),
    path(
        "editions/<slug:slug>/recommendations/<str:code>/",
        views.recommendation_detail,
        name="recommendation",
    ),
    path(
        "editions/<slug:slug>/recommendations/<str:code>/history/",
        views.recommendation_history,
        name="history",
    ),
    path("editions/<slug:slug>/export.<str:fmt>", views.export_catalogue, name="export"),
    path("editions/<slug:slug>/import/", views.import_catalogue, name="import"),
    path("next-edition/", views.next_edition, name="next_edition"),
    path("profile/", views.my_profile, name="profile"),
    path("zones/register/", views.zone_register, name="register"),
    path("zones/register/export.<str:fmt>", views.zone_register_export, name="register_export"),
]
