"""The main findings in a few sentences, made from the figures in the active language.

Each sentence is a translated template filled with figures formatted for the language;
a sentence whose figures are missing is left out. Nothing is said that the figures do
not show.
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import labels
from .formatting import number, percent


def _pas(figures: dict, codes: list[str]) -> list[str]:
    by_code = {row["code"]: row for row in figures["pas"]}
    return [labels.name(by_code[c]) for c in codes if c in by_code]


def _total(figures: dict) -> str | None:
    total = figures["total"]
    if total is None:
        return _("No protected area in scope reported this species in the period.")
    values = {
        "scope": capfirst(labels.scope(figures["scope"])),
        "total": number(total),
        "unit": labels.unit(figures["species"]["unit"]),
    }
    if figures["basis"] == "census":
        values["campaign"] = labels.name(figures["census"]["campaign"])
        return _("%(scope)s: %(total)s (%(unit)s) by the census “%(campaign)s”.") % values
    if figures["basis"] == "individuals":
        return (
            ngettext(
                "%(scope)s: at least %(total)s known individual was recorded.",
                "%(scope)s: at least %(total)s known individuals were recorded.",
                total,
            )
            % values
        )
    return _(
        "%(scope)s: the peak counts of the protected areas add up to %(total)s (%(unit)s)."
    ) % (values)


def _change(figures: dict) -> str | None:
    trend = figures["trend"]
    if len(trend) < 2 or figures["total"] is None:
        return None
    before = labels.period(trend[-2]["period"])
    change = figures["change"]
    if change is None:
        return _("There is no comparable figure for %(period)s.") % {"period": before}
    values = {"period": before, "previous": number(change["previous"])}
    if change["difference"] == 0:
        return _("The same as in %(period)s.") % values
    if change["ratio"] is None:
        return _("Up from %(previous)s in %(period)s.") % values
    values["percent"] = percent(abs(change["ratio"]))
    if change["difference"] > 0:
        return _("That is %(percent)s more than in %(period)s (%(previous)s).") % values
    return _("That is %(percent)s less than in %(period)s (%(previous)s).") % values


def _countries(figures: dict) -> str | None:
    rows = [c for c in figures["countries"] if c["count"] is not None]
    if figures["scope"]["kind"] != "joint" or len(rows) < 2:
        return None
    parts = [f"{labels.country(c['country'])} {number(c['count'])}" for c in rows]
    return _("By country: %(list)s.") % {"list": labels.joined(parts)}


def _double_counts(figures: dict) -> list[str]:
    out = []
    census = figures.get("census")
    if census and figures["scope"]["kind"] == "joint":
        if census["duplicates_removed"]:
            n = census["duplicates_removed"]
            out.append(
                ngettext(
                    "%(n)s counted on both sides of the border was counted once.",
                    "%(n)s counted on both sides of the border were counted once.",
                    n,
                )
                % {"n": number(n)}
            )
        if census["open_flags"]:
            n = census["open_flags"]
            out.append(
                ngettext(
                    "%(n)s possible double count is still open: the joint total is provisional.",
                    "%(n)s possible double counts are still open: the joint total is provisional.",
                    n,
                )
                % {"n": number(n)}
            )
    known = figures.get("individuals")
    if figures["basis"] == "individuals" and known and known["seen_on_both_sides"]:
        n = known["seen_on_both_sides"]
        out.append(
            ngettext(
                "%(n)s of them was recorded on both sides of the border and is counted once.",
                "%(n)s of them were recorded on both sides of the border and are counted once.",
                n,
            )
            % {"n": number(n)}
        )
    return out


def _individuals(figures: dict) -> str | None:
    known = figures.get("individuals")
    if not known or not known["mna"]:
        return None
    values = {"new": number(known["new"])}
    if known["not_seen_again"] is None:
        return _("New individuals: %(new)s.") % values
    values["gone"] = number(known["not_seen_again"])
    values["period"] = labels.period(known["previous_period"])
    return _("New individuals: %(new)s; not seen again since %(period)s: %(gone)s.") % values


def _camera(figures: dict) -> str | None:
    camera = figures.get("camera")
    if not camera or not camera["stations"]:
        return None
    return _(
        "Camera traps: %(rate)s independent detections per 100 trap-nights; "
        "%(share)s of %(stations)s stations recorded the species."
    ) % {
        "rate": number(camera["per_100"], 2),
        "share": percent(camera["share"]),
        "stations": number(camera["stations"]),
    }


def _breeding(figures: dict) -> str | None:
    breeding = figures.get("breeding")
    if not breeding:
        return None
    parts = []
    if breeding["nests"] is not None:
        parts.append(_("nests: %(n)s") % {"n": number(breeding["nests"])})
    if breeding["pairs"] is not None:
        parts.append(_("breeding pairs: %(n)s") % {"n": number(breeding["pairs"])})
    return _("Recorded: %(list)s.") % {"list": labels.joined(parts)}


def _completeness(figures: dict) -> str | None:
    done = figures["completeness"]
    expected, reported = len(done["expected"]), len(done["reported"])
    if not expected:
        return None
    if not done["missing"]:
        return ngettext(
            "The protected area expected to report did.",
            "All %(n)s protected areas expected to report did.",
            expected,
        ) % {"n": number(expected)}
    return _("%(reported)s of %(expected)s protected areas reported; none from %(missing)s.") % {
        "reported": number(reported),
        "expected": number(expected),
        "missing": labels.joined(_pas(figures, done["missing"])),
    }


def _target(figures: dict) -> str | None:
    target = figures.get("target")
    if not target or figures["total"] is None:
        return None
    from .targets import scope_label

    return _(
        "Programme target: %(value)s by %(year)s (%(scope)s); this summary counts %(total)s "
        "in its scope."
    ) % {
        "value": number(target["value"]),
        "year": target["year"],
        "scope": scope_label(target["scope"]),
        "total": number(figures["total"]),
    }


def findings(figures: dict) -> list[str]:
    sentences = [_total(figures), _change(figures), _countries(figures)]
    sentences += _double_counts(figures)
    sentences += [
        _individuals(figures),
        _camera(figures),
        _breeding(figures),
        _completeness(figures),
        _target(figures),
    ]
    return [s for s in sentences if s]
