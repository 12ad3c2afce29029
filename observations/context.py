import re

from django.conf import settings
from django.utils.translation import gettext

from .access import access_for

DEFAULT_NODE_NAME = re.compile(r"^Amur Exchange ([A-Z]{2})$")  # config/settings.py's


def node_name(name: str | None = None) -> str:
    """A node's name as shown: the one its operator set (NODE_NAME), or else the default
    one ("Amur Exchange RU") in the reader's language. ``name``: a node name stored
    earlier (a dataset version's publisher); this node's by default."""
    name = settings.NODE_NAME if name is None else name
    default = DEFAULT_NODE_NAME.match(name)
    if default:
        return f"{gettext('Amur Exchange')} {default.group(1)}"
    return name


def node(request):
    """Template context every page needs: which node this is and who is looking."""
    return {
        "node_code": settings.NODE_CODE,
        "node_name": node_name(),
        "access": access_for(getattr(request, "user", None)),
    }
