from django.urls import path

from memorandum.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/<int:pk>/", views.job, name="job"),
]
