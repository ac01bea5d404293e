from django.urls import path

from memorandum.publication import views

app_name = "publication"

urlpatterns = [
    path("editions/<slug:slug>/memorandum/", views.memorandum, name="memorandum"),
    path("editions/<slug:slug>/memorandum/<str:lang>.<str:fmt>", views.download, name="download"),
]
