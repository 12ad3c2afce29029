from django.conf import settings

from .access import access_for


def node(request):
    """Template context every page needs: which node this is and who is looking."""
    return {
        "node_code": settings.NODE_CODE,
        "node_name": settings.NODE_NAME,
        "access": access_for(getattr(request, "user", None)),
    }
