"""Shared pieces of the models: countries, translated names, records that cross the border."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    CN = "CN", _("China")
    RU = "RU", _("Russia")
    MN = "MN", _("Mongolia")


def default_origin_node() -> str:
    return settings.NODE_CODE


def localized(obj, field: str = "name", language: str | None = None) -> str:
    """The value of ``<field>_<lang>`` for the active language, falling back to English.

    Names are stored in explicit ``name_en``/``name_ru``/``name_zh`` columns
    rather than through a translation library: there are exactly three
    languages, the API exposes these very columns, the sync sends them as
    they are, and a plain column can be filtered and indexed.
    """
    lang = (language or translation.get_language() or "en").lower()
    suffix = "zh" if lang.startswith("zh") else lang[:2]
    value = getattr(obj, f"{field}_{suffix}", "") or ""
    return value or getattr(obj, f"{field}_en", "") or ""


class TranslatedName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class SourceRecord(models.Model):
    """A record that can cross the border.

    Its UUID is made where it was first created (a field app, a form, a
    node) so that a re-sent record is recognised everywhere, and its origin
    node owns it: only that node changes it, which keeps the sync free of
    edit conflicts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    origin_node = models.CharField(
        _("origin node"), max_length=2, choices=Country.choices, default=default_origin_node
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_local(self) -> bool:
        """True when this node owns the record (it was not received from a partner)."""
        return self.origin_node == settings.NODE_CODE
