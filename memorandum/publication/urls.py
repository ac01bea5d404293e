from django.urls import path

from memorandum.publication import views

app_name = "publication"

urlpatterns = [
    path("editions/<slug:slug>/memorandum/", views.memorandum, name="memorandum"),
    path("editions/<slug:slug>/memorandum/preview/", views.preview, name="preview"),
    path("editions/<slug:slug>/memorandum/publish/", views.publish, name="publish"),
    path(
        "editions/<slug:slug>/memorandum/versions/<int:number>/",
        views.version,
        name="version",
    ),
    path(
        "editions/<slug:slug>/memorandum/versions/<int:number>/<str:lang>.<str:fmt>",
        views.version_file,
        name="version_file",
    ),
    path("editions/<slug:slug>/memorandum/<str:lang>.<str:fmt>", views.download, name="download"),
]
