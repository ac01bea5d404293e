from django.urls import path

from memorandum.roadmap import views

app_name = "roadmap"

ROOT = "editions/<slug:slug>/roadmap/"
INITIATIVE = ROOT + "initiatives/<int:pk>/"

urlpatterns = [
    path(ROOT, views.dashboard, name="dashboard"),
    path(ROOT + "charts/status-<str:by>.svg", views.status_chart, name="status_chart"),
    path(ROOT + "charts/timeline.svg", views.timeline_chart, name="timeline_chart"),
    path(
        ROOT + "recommendations/<str:code>/", views.recommendation_follow_up, name="recommendation"
    ),
    path(ROOT + "initiatives/new/", views.initiative_create, name="initiative_create"),
    path(INITIATIVE, views.initiative_detail, name="initiative"),
    path(INITIATIVE + "edit/", views.initiative_edit, name="initiative_edit"),
    path(INITIATIVE + "update/", views.record_update, name="record_update"),
    path(INITIATIVE + "milestones/new/", views.add_milestone, name="add_milestone"),
    path(
        INITIATIVE + "milestones/<int:milestone_pk>/edit/",
        views.edit_milestone,
        name="edit_milestone",
    ),
    path(
        INITIATIVE + "milestones/<int:milestone_pk>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path(INITIATIVE + "indicators/new/", views.add_indicator, name="add_indicator"),
    path(
        INITIATIVE + "indicators/<int:indicator_pk>/chart.svg",
        views.indicator_chart,
        name="indicator_chart",
    ),
    path(INITIATIVE + "measurements/new/", views.add_measurement, name="add_measurement"),
    path(
        INITIATIVE + "measurements/<int:measurement_pk>/delete/",
        views.delete_measurement,
        name="delete_measurement",
    ),
    path(INITIATIVE + "points/new/", views.raise_point, name="raise_point"),
    path(INITIATIVE + "points/<int:point_pk>/resolve/", views.resolve_point, name="resolve_point"),
    path(
        INITIATIVE + "updates/<int:update_pk>/attachment/",
        views.update_attachment,
        name="attachment",
    ),
    path(ROOT + "opvolgformulier.xlsx", views.follow_up_export, name="export"),
    path(ROOT + "import/", views.follow_up_import, name="import"),
    path(ROOT + "report/", views.progress_report, name="report"),
]
