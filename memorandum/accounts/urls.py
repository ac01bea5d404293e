from django.urls import path

from memorandum.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account_list, name="list"),
    path("accounts/invite/", views.account_invite, name="invite"),
    path("accounts/<int:pk>/", views.account_edit, name="edit"),
    path("accounts/<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("accounts/<int:pk>/reactivate/", views.account_reactivate, name="reactivate"),
    path("accounts/<int:pk>/resend/", views.account_resend, name="resend"),
    path("accounts/welcome/<str:token>/", views.set_password, name="set_password"),
    path("accounts/me/", views.my_account, name="me"),
    path("accounts/me/password/", views.my_password, name="password"),
]
