"""The token section of the profile page: ``{% load api_tokens %}{% api_token_section %}``."""

from django import template

from memorandum.api.forms import TokenForm
from memorandum.api.models import ApiToken

register = template.Library()


@register.inclusion_tag("api/_token_section.html", takes_context=True)
def api_token_section(context, form=None):
    user = context["request"].user
    return {
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
        "token_form": form or TokenForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
