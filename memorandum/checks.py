"""System checks for configuration mistakes that Django's own checks do not catch."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    """In production the development key must not be used and e-mail must really leave."""
    problems = []
    if not settings.DEBUG and settings.SECRET_KEY.startswith("dev-only-"):
        problems.append(
            Error(
                "SECRET_KEY is the development key.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="memorandum.E001",
            )
        )
    if not settings.DEBUG and settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is printed to the console instead of being sent.",
                hint="Set EMAIL_BACKEND (and EMAIL_HOST…) for production.",
                id="memorandum.W001",
            )
        )
    return problems
