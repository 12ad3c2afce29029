"""A summary as a document in one language: a title, and sections of paragraphs, facts
and tables, every word translated and every number formatted for that language.

The HTML page, the HTML download and the PDF all lay out the same documents, one per
language, side by side: ``documents(figures, ["ru", "zh-hans"])`` renders each inside
``translation.override`` of its language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import labels
from .findings import findings
from .formatting import date, moment, number, percent, signed_percent
from .targets import scope_label

SIDE_BY_SIDE = ["ru", "zh-hans"]
WITH_ENGLISH = ["ru", "zh-hans", "en"]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    last_row_total: bool = False
    weights: list[float] | None = None  # relative column widths in the PDF

    @property
    def head(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self.numeric, strict=True))

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Document:
    language: str
    language_name: str
    title: str
    subtitle: str
    made: str
    sections: list[Section]


def languages(english: bool) -> list[str]:
    return WITH_ENGLISH if english else SIDE_BY_SIDE


def documents(figures: dict, langs: list[str]) -> list[Document]:
    out = []
    for language in langs:
        with translation.override(language):
            out.append(build(figures))
    return out


def build(figures: dict) -> Document:
    language = translation.get_language()
    sections = [
        Section("findings", _("Main findings"), paragraphs=findings(figures)),
        _counts(figures),
        _countries(figures),
        _trend(figures),
    ]
    for optional in (_individuals, _camera, _breeding, _completeness, _target):
        section = optional(figures)
        if section is not None:
            sections.append(section)
    sections.append(_about(figures))
    return Document(
        language=language,
        language_name=translation.get_language_info(language)["name_local"],
        title=_("Population status: %(species)s") % {"species": labels.name(figures["species"])},
        subtitle=_("%(period)s · %(scope)s")
        % {"period": labels.period(figures["period"]), "scope": labels.scope(figures["scope"])},
        made=_("Made %(when)s") % {"when": moment(figures["made_at"])},
        sections=sections,
    )


def _effort(effort: dict | None) -> str:
    if not effort:
        return "—"
    parts = []
    if effort.get("surveys") is not None:
        n = effort["surveys"]
        parts.append(ngettext("%(n)s survey", "%(n)s surveys", n) % {"n": number(n)})
    if effort.get("km") is not None:
        parts.append(_("%(km)s km") % {"km": number(effort["km"], 1)})
    if effort.get("hours") is not None:
        parts.append(_("%(hours)s h") % {"hours": number(effort["hours"], 1)})
    if effort.get("trap_nights") is not None:
        parts.append(_("%(nights)s trap-nights") % {"nights": number(effort["trap_nights"])})
    return ", ".join(parts) or "—"


def _basis_text(figures: dict) -> str:
    if figures["basis"] == "census":
        campaign = figures["census"]["campaign"]
        return _(
            "Counts of the census “%(campaign)s” (%(start)s – %(end)s), with the effort each "
            "protected area reported. The joint total counts once what the coordinators "
            "resolved as counted on both sides."
        ) % {
            "campaign": labels.name(campaign),
            "start": date(campaign["starts_on"]),
            "end": date(campaign["ends_on"]),
        }
    if figures["basis"] == "individuals":
        return _(
            "Known individuals recorded in the period; an animal catalogued on both sides of "
            "the border counts once. Effort: the verified surveys of the kinds the records "
            "came from."
        )
    return _(
        "Peak count: the largest number in one verified record of the protected area (a "
        "lower bound); the total adds up the protected areas' peaks. Effort: the verified "
        "surveys of the kinds the records came from."
    )


def _counts(figures: dict) -> Section:
    yes, no = _("yes"), _("no")
    rows = [
        [
            labels.name(row),
            labels.country(row["country"]),
            number(row["records"]),
            number(row["count"]),
            _effort(row["effort"]),
            yes if row["reported"] else no,
        ]
        for row in figures["pas"]
    ]
    table = Table(
        columns=[
            _("Protected area"),
            _("Country"),
            _("Records"),
            capfirst(labels.basis(figures["basis"])),
            _("Effort"),
            _("Reported"),
        ],
        rows=rows,
        numeric=[False, False, True, True, False, False],
        weights=[3, 1.2, 1, 1.2, 2.8, 1],
    )
    return Section("counts", _("Counts per protected area"), [_basis_text(figures)], table=table)


def _countries(figures: dict) -> Section:
    rows = [
        [
            labels.country(c["country"]),
            _("%(reported)s of %(expected)s")
            % {
                "reported": number(c["pas_reported"]),
                "expected": number(c["pas_expected"]),
            },
            number(c["records"]),
            number(c["count"]),
        ]
        for c in figures["countries"]
    ]
    total_label = _("Joint total") if figures["scope"]["kind"] == "joint" else _("Total")
    rows.append([total_label, "", number(figures["records"]), number(figures["total"])])
    table = Table(
        columns=[
            _("Country"),
            _("Protected areas reported"),
            _("Records"),
            capfirst(labels.basis(figures["basis"])),
        ],
        rows=rows,
        numeric=[False, False, True, True],
        last_row_total=True,
    )
    facts = []
    census = figures.get("census")
    if census:
        facts += [
            (_("Raw sum"), number(census["raw_sum"])),
            (_("Counted twice (resolved)"), number(census["duplicates_removed"])),
            (_("Possible double counts"), number(census["open_flags"])),
            (_("Reconciled total"), number(census["total"])),
            (_("State"), _("final") if census["is_final"] else _("provisional")),
        ]
    known = figures.get("individuals")
    if figures["basis"] == "individuals" and known:
        facts.append((_("Seen on both sides (counted once)"), number(known["seen_on_both_sides"])))
    heading = (
        _("Per country and joint total") if figures["scope"]["kind"] == "joint" else _("Total")
    )
    return Section("countries", heading, facts=facts, table=table)


def _trend(figures: dict) -> Section:
    countries = sorted({c for point in figures["trend"] for c in point["countries"]})
    columns = [_("Period"), _("Records"), _("Total")]
    show_countries = figures["scope"]["kind"] == "joint" and len(countries) > 1
    if show_countries:
        columns += [labels.country(c) for c in countries]
    rows = []
    for point in figures["trend"]:
        row = [labels.period(point["period"]), number(point.get("records")), number(point["total"])]
        if show_countries:
            row += [number(point["countries"].get(c)) for c in countries]
        rows.append(row)
    paragraphs = []
    change = figures.get("change")
    if change and change["ratio"] is not None:
        paragraphs.append(
            _("Change from the previous period: %(change)s.")
            % {"change": signed_percent(change["ratio"])}
        )
    return Section(
        "trend",
        _("Trend"),
        paragraphs,
        table=Table(columns, rows, [False] + [True] * (len(columns) - 1)),
    )


def _individuals(figures: dict) -> Section | None:
    known = figures.get("individuals")
    if not known:
        return None
    facts = [
        (_("Minimum number alive"), number(known["mna"])),
        (_("Catalogue entries"), number(known["catalogue_entries"])),
        (_("New"), number(known["new"])),
    ]
    if known["previous_period"] is not None:
        label = _("Not seen again since %(period)s") % {
            "period": labels.period(known["previous_period"])
        }
        facts.append((label, number(known["not_seen_again"])))
    facts.append((_("Seen on both sides (counted once)"), number(known["seen_on_both_sides"])))
    return Section("individuals", _("Known individuals"), facts=facts)


def _camera(figures: dict) -> Section | None:
    camera = figures.get("camera")
    if camera is None:
        return None
    facts = [
        (_("Camera stations"), number(camera["stations"])),
        (
            _("Stations with detections"),
            f"{number(camera['with_detections'])} ({percent(camera['share'])})",
        ),
        (_("Trap-nights"), number(camera["trap_nights"])),
        (_("Independent detections"), number(camera["detections"])),
        (_("Detections per 100 trap-nights"), number(camera["per_100"], 2)),
    ]
    names = {row["code"]: labels.name(row) for row in figures["pas"]}
    rows = [
        [
            names.get(r["pa"], r["pa"]),
            number(r["stations"]),
            number(r["with_detections"]),
            number(r["trap_nights"]),
            number(r["detections"]),
            number(r["per_100"], 2),
        ]
        for r in camera["pas"]
    ]
    table = Table(
        [
            _("Protected area"),
            _("Stations"),
            _("With detections"),
            _("Trap-nights"),
            _("Detections"),
            _("Per 100 trap-nights"),
        ],
        rows,
        [False, True, True, True, True, True],
    )
    note = _(
        "Detections of the species at one station count when at least %(minutes)s minutes apart."
    ) % {"minutes": number(camera["threshold_min"])}
    return Section("camera", _("Camera traps"), [note], facts=facts, table=table if rows else None)


def _breeding(figures: dict) -> Section | None:
    breeding = figures.get("breeding")
    if not breeding:
        return None
    names = {row["code"]: labels.name(row) for row in figures["pas"]}
    rows = [
        [names.get(r["pa"], r["pa"]), number(r["nests"]), number(r["pairs"])]
        for r in breeding["pas"]
    ]
    rows.append([_("Total"), number(breeding["nests"]), number(breeding["pairs"])])
    note = _("Per protected area, the largest number found in one survey.")
    table = Table(
        [_("Protected area"), _("Nests"), _("Breeding pairs")],
        rows,
        [False, True, True],
        last_row_total=True,
    )
    return Section("breeding", _("Nests and breeding pairs"), [note], table=table)


def _completeness(figures: dict) -> Section | None:
    done = figures["completeness"]
    if not done["expected"]:
        return None
    by_code = {row["code"]: row for row in figures["pas"]}

    def names(codes):
        return labels.joined([labels.name(by_code[c]) for c in codes]) or "—"

    paragraph = _("%(reported)s of %(expected)s protected areas reported.") % {
        "reported": number(len(done["reported"])),
        "expected": number(len(done["expected"])),
    }
    facts = [(_("Reported"), names(done["reported"])), (_("Not reported"), names(done["missing"]))]
    return Section("completeness", _("Data completeness"), [paragraph], facts=facts)


def _target(figures: dict) -> Section | None:
    target = figures.get("target")
    if not target:
        return None
    facts = [
        (
            _("Programme target"),
            _("%(value)s by %(year)s") % {"value": number(target["value"]), "year": target["year"]},
        ),
        (_("Target for"), scope_label(target["scope"]) or "—"),
        (_("Source"), target["source"]),
        (_("This summary"), number(figures["total"])),
    ]
    return Section("target", _("Programme target"), facts=facts)


def _about(figures: dict) -> Section:
    paragraphs = [
        _(
            "Only verified records count, this node's own and those received from the "
            "partner node; no place finer than a protected area is shown."
        ),
        _("Records counted: %(n)s.") % {"n": number(figures["records"])},
    ]
    return Section("about", _("About these figures"), paragraphs)
