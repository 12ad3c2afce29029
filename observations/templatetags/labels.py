"""Codes stored as data, by their names in the reader's language.

``{{ "RU"|country_name }}`` gives "Russia" (Россия, 俄罗斯); ``{{ "pa_manager"|role_name }}``
gives "PA manager". A code this node does not know is shown as it is.
"""

from django import template

from ..models import Country, Role

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return str(dict(Country.choices).get(code, code))


@register.filter
def role_name(code: str) -> str:
    return str(dict(Role.choices).get(code, code))
