from django.conf import settings


def site(request):
    """Values every page needs: whether we run in development, the site name, sign-in limit."""
    return {
        "DEBUG": settings.DEBUG,
        "SITE_NAME": "Memorandum",
        "signin_limit": settings.AXES_FAILURE_LIMIT,
    }
