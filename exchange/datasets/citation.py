"""How to cite a version: contributors (the PAs whose records it holds), year, title,
version, date, publishing node, licence, checksum.

    Khankaisky Nature Reserve; Xingkaihu National Nature Reserve (2025). Tiger census
    methods workshop. Version 2, 2025-05-01. Amur Exchange RU. CC-BY-4.0.
    SHA-256 3f5c...

The English line is stored on the version when it is frozen (``version.citation``, what
downloads carry); pages show the same parts in the reader's language (``citation_for``).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from observations.context import node_name as shown_node_name


def contributor_names(contributors: list[dict], language: str) -> list[str]:
    suffix = "zh" if language.lower().startswith("zh") else language[:2].lower()
    return [c.get(f"name_{suffix}") or c.get("name_en") or c["code"] for c in contributors]


def citation_line(
    *,
    title: str,
    number: int,
    published_at,
    contributors: list[dict],
    licence: str,
    checksum: str,
    language: str = "en",
    node_name: str | None = None,
) -> str:
    with translation.override(language):
        node = shown_node_name(node_name)  # in the citation's language
        names = "; ".join(contributor_names(contributors, language)) or node
        return gettext(
            "%(contributors)s (%(year)s). %(title)s. Version %(version)s, %(date)s. "
            "%(node)s. %(licence)s. SHA-256 %(checksum)s"
        ) % {
            "contributors": names,
            "year": published_at.year,
            "title": title,
            "version": number,
            "date": published_at.date().isoformat(),
            "node": node,
            "licence": licence,
            "checksum": checksum,
        }


def citation_for(version, language: str | None = None) -> str:
    """The citation of a published version in ``language`` (the active one by default)."""
    if not version.published_at:
        return ""
    return citation_line(
        title=version.title,
        number=version.number,
        published_at=version.published_at,
        contributors=version.contributors,
        licence=version.licence,
        checksum=version.checksum,
        language=language or translation.get_language() or "en",
        node_name=version.publisher or None,
    )
