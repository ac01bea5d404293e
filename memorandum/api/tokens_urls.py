"""The token section of the profile page (under the language prefix, like the page)."""

from django.urls import path

from memorandum.api import tokens

app_name = "api_tokens"

urlpatterns = [
    path("profile/api-tokens/", tokens.token_create, name="create"),
    path("profile/api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="revoke"),
]
