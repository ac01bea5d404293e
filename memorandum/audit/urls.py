from django.urls import path

from memorandum.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.log, name="log"),
    path("audit/export.<str:fmt>", views.log_export, name="export"),
]
