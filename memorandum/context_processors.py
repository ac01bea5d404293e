from django.conf import settings


def site(request):
    """Values every page needs: whether we run in development, the site name."""
    return {"DEBUG": settings.DEBUG, "SITE_NAME": "Memorandum"}
