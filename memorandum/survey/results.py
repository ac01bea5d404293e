"""Reading frozen tallies: the results page's rows, CSV/XLSX exports and the summary the
publication app may print (:func:`publishable_rows`)."""

from __future__ import annotations

import io
import math

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from memorandum.catalogue.models import Province, Region
from memorandum.lib.exports import SafeCSVWriter, neutralise_workbook, xlsx_row
from memorandum.survey.items import survey_items
from memorandum.survey.models import (
    METHOD_LABELS,
    RATING_CRITERIA,
    Ballot,
    Survey,
    SurveyItem,
    Tally,
)
from memorandum.survey.tally import OTHER

CHART_MAX_ITEMS = 30


def method_label(method: str) -> str:
    return str(METHOD_LABELS.get(method, method))


def _titles(survey: Survey) -> dict[str, object]:
    """The titles the survey asked about, in the reader's language (frozen at opening)."""
    return {item.code: item.title for item in survey_items(survey)}


def _region_label(key: str) -> str:
    try:
        return str(Region(key).label)
    except ValueError:
        return key


def view_model(survey: Survey, tally: Tally) -> dict:
    """Everything the results page, its charts and the exports show, as plain rows."""
    data = tally.results
    titles = _titles(survey)
    provinces = {p.code: str(p.name) for p in Province.objects.all()}
    # Only items the survey asked about: a tally made before items were frozen may hold an
    # item that was never published, and that must not reach the results or their exports.
    order = [
        dict(row, title=titles[row["code"]])
        for row in data.get("order", [])
        if row["code"] in titles
    ]
    if scores_withheld(survey, data):
        order = [dict(row, score=None) for row in order]
    methods = list(data.get("methods", {}))
    method_rows = [
        {
            "code": row["code"],
            "title": row["title"],
            "ranks": [data["methods"][m].get(row["code"]) for m in methods],
        }
        for row in order
    ]
    k = data.get("min_group", survey.min_group)
    region_groups = _groups(data.get("by_region", {}), k, _region_label)
    province_groups = _groups(data.get("by_province", {}), k, lambda p: provinces.get(p, p))
    class_groups = _groups(data.get("by_weight_class", {}), k, _class_label(survey))

    def rank_rows(groups: list[dict]) -> list[dict]:
        return [
            {
                "code": row["code"],
                "title": row["title"],
                "ranks": [g["ranks"].get(row["code"]) for g in groups],
            }
            for row in order
        ]

    part = data.get("participation", {})
    participation_rows = [
        {"label": _region_label(g["key"]), "kind": "region", **_rate(g)}
        for g in part.get("regions", [])
    ] + [
        {"label": provinces.get(g["key"], g["key"]), "kind": "province", **_rate(g)}
        for g in part.get("provinces", [])
    ]
    within = [
        {
            "label": group["label"],
            "rows": sorted(
                (
                    {"code": c, "title": titles[c], "rank": r}
                    for c, r in group["ranks"].items()
                    if c in titles
                ),
                key=lambda x: x["rank"],
            ),
        }
        for group in data.get("within", {}).values()
    ]
    criteria = []
    if data.get("criteria"):
        labels = dict(RATING_CRITERIA)
        criteria = {
            "labels": [labels[name] for name, _l in RATING_CRITERIA],
            "rows": [
                {
                    "code": row["code"],
                    "title": row["title"],
                    "means": [
                        data["criteria"][name].get(row["code"]) for name, _l in RATING_CRITERIA
                    ],
                }
                for row in order
            ],
        }
    return {
        "order": order,
        "method": method_label(data.get("method", tally.method)),
        "methods": [method_label(m) for m in methods],
        "method_rows": method_rows,
        "agreement": [
            {"method": method_label(m), "tau": tau} for m, tau in data.get("agreement", {}).items()
        ],
        "kendall_w": data.get("kendall_w"),
        "regions": region_groups,
        "region_rows": rank_rows(region_groups),
        "provinces": province_groups,
        "province_rows": rank_rows(province_groups),
        "weight_classes": class_groups,
        "weight_class_rows": rank_rows(class_groups),
        "min_group": k,
        "small_groups": _small_groups_note(data, k, provinces, survey),
        "withheld": bool(data.get("withheld")),
        "scores_withheld": scores_withheld(survey, data),
        "participation": {
            "expected": part.get("expected", 0),
            "voted": part.get("voted", 0),
            "percent": round(100 * part.get("voted", 0) / part["expected"])
            if part.get("expected")
            else 0,
        },
        "participation_rows": participation_rows,
        "within": within,
        "criteria": criteria,
        "level_percent": round(100 * data.get("level", 0.95)),
        "top_k": data.get("top_k", 10),
        "chart_items": min(len(order), CHART_MAX_ITEMS),
        "ballots": data.get("ballots", tally.ballot_count),
    }


def scores_withheld(survey: Survey, data: dict) -> bool:
    """Were the scores of this tally withheld, or is it a weighted tally frozen before
    scores were checked (``tally.scores_are_safe``)? Then no score is shown. A tally that
    does not record its weighting is read with the survey's."""
    if data.get("scores_withheld"):
        return True
    return "min_group" not in data and data.get("weighting", survey.weighting) != "zone"


def _groups(by_group: dict, k: int, label) -> list[dict]:
    """The groups a reader may see: at least k ballots and ranked; "other" comes last.

    Tallies frozen before the rule existed may hold smaller groups: they are left out here.
    """
    shown = []
    for key, group in by_group.items():
        if group.get("ranks") is None or group["ballots"] < k:
            continue
        if key == OTHER and "merged" in group:
            merged = ", ".join(label(m) for m in group["merged"])
            shown.append(
                {
                    "key": key,
                    "label": _("Other (%(groups)s)") % {"groups": merged},
                    "ballots": group["ballots"],
                    "ranks": group["ranks"],
                    "other": True,
                }
            )
        else:
            shown.append(
                {
                    "key": key,
                    "label": label(key),
                    "ballots": group["ballots"],
                    "ranks": group["ranks"],
                }
            )
    shown.sort(key=lambda g: g.get("other", False))
    return shown


def _small_groups_note(data: dict, k: int, provinces: dict, survey: Survey) -> list[str]:
    """One sentence per breakdown that merged or left out groups smaller than k."""
    notes = []
    kinds = [
        ("by_region", pgettext("small groups", "regions"), _region_label),
        ("by_province", pgettext("small groups", "provinces"), lambda p: provinces.get(p, p)),
        ("by_weight_class", pgettext("small groups", "weight classes"), _class_label(survey)),
    ]
    for key, kind, label in kinds:
        groups = data.get(key, {})
        other = groups.get(OTHER) if isinstance(groups.get(OTHER), dict) else None
        old_small = [g for g, v in groups.items() if g != OTHER and v["ballots"] < k]
        if other and other.get("ranks") is not None:
            notes.append(
                _(
                    "%(kind)s with fewer than %(k)s ballots (%(groups)s) are counted together as “other”."
                )
                % {"kind": kind, "k": k, "groups": ", ".join(label(g) for g in other["merged"])}
            )
        elif other or old_small:
            n = other["ballots"] if other else sum(groups[g]["ballots"] for g in old_small)
            notes.append(
                ngettext(
                    "%(kind)s with fewer than %(k)s ballots are not shown, not even together (%(n)s ballot).",
                    "%(kind)s with fewer than %(k)s ballots are not shown, not even together (%(n)s ballots).",
                    n,
                )
                % {"kind": kind, "k": k, "n": n}
            )
    return [note[:1].upper() + note[1:] for note in notes]


def _class_label(survey: Survey):
    """Weight class labels ("class 2: 120–340, counts 210") from the survey's frozen classes."""
    classes = {float(c["weight"]): c for c in (survey.weight_classes or {}).get("classes", [])}

    def label(key) -> str:
        try:
            cls = classes.get(float(key))
        except ValueError:
            cls = None
        if cls is None:
            return str(key)
        return _("Class %(n)s (%(low)s–%(high)s)") % {
            "n": cls["number"],
            "low": _number(cls["low"]),
            "high": _number(cls["high"]),
        }

    return label


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _rate(group: dict) -> dict:
    expected, voted = group.get("expected", 0), group.get("voted", 0)
    return {
        "expected": expected,
        "voted": voted,
        "percent": round(100 * voted / expected) if expected else 0,
    }


def export_rows(survey: Survey, tally: Tally) -> tuple[list[str], list[list]]:
    """One row per item: the official rank with its interval, then every method and group."""
    view = view_model(survey, tally)
    header = [
        _("Code"),
        _("Title"),
        _("Rank"),
        _("Score"),
        _("Rank, low"),
        _("Rank, high"),
        _("Probability of the top %(k)s") % {"k": view["top_k"]},
        _("Mean bootstrap rank"),
    ]
    header += [_("Rank by %(method)s") % {"method": m} for m in view["methods"]]
    header += [
        _("Rank in %(group)s") % {"group": g["label"]}
        for g in view["regions"] + view["provinces"] + view["weight_classes"]
    ]
    rows = []
    for row, methods, regions, provinces, classes in zip(
        view["order"],
        view["method_rows"],
        view["region_rows"],
        view["province_rows"],
        view["weight_class_rows"],
        strict=True,
    ):
        rows.append(
            [
                row["code"],
                str(row["title"]),
                row["rank"],
                row["score"],
                row["rank_low"],
                row["rank_high"],
                row["p_top_k"],
                row["mean_rank"],
                *methods["ranks"],
                *regions["ranks"],
                *provinces["ranks"],
                *classes["ranks"],
            ]
        )
    return header, rows


def about_rows(survey: Survey, tally: Tally) -> list[tuple[str, object]]:
    """What makes the tally reproducible, plus a clear synthetic flag."""
    return [
        (_("Survey title (Dutch)"), survey.title_nl),
        (_("Survey title (French)"), survey.title_fr),
        (_("Synthetic data"), _("yes") if survey.is_synthetic else _("no")),
        (_("Primary method"), method_label(tally.method)),
        (_("Random seed"), tally.seed),
        (_("Bootstrap replicates"), tally.replicates),
        (_("Ballots counted"), tally.ballot_count),
        (_("SHA-256 of the ballot data"), tally.snapshot_hash),
        (
            _("Tallied at (Brussels time)"),
            timezone.localtime(tally.created_at).strftime("%Y-%m-%d %H:%M"),
        ),
    ]


def to_csv(survey: Survey, tally: Tally) -> bytes:
    header, rows = export_rows(survey, tally)
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(survey: Survey, tally: Tally) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = export_rows(survey, tally)
    view = view_model(survey, tally)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Priorities")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(xlsx_row(row))
    participation = book.create_sheet(_("Participation")[:31])
    participation.append([_("Group"), _("Zones"), _("Answered"), _("Response rate (%)")])
    participation.append(
        [
            _("All zones"),
            view["participation"]["expected"],
            view["participation"]["voted"],
            view["participation"]["percent"],
        ]
    )
    for row in view["participation_rows"]:
        participation.append(
            xlsx_row([row["label"], row["expected"], row["voted"], row["percent"]])
        )
    about = book.create_sheet(_("About")[:31])
    for key, value in about_rows(survey, tally):
        about.append(xlsx_row([key, value]))
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def receipt_counted(survey: Survey, tally: Tally, receipt: str) -> bool:
    """Was the ballot with this receipt counted? The same set the tally read."""
    return bool(receipt) and Ballot.objects.counted(survey).filter(receipt=receipt).exists()


def ballots_csv(survey: Survey) -> bytes:
    """One row per submitted ballot of an attributed survey: zone, groups, weight, answers."""
    import json

    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow(
        [
            _("Zone"),
            _("Province"),
            _("Region"),
            _("Weight"),
            _("Submitted"),
            _("Cast by"),
            _("Receipt"),
            _("Answers"),
        ]
    )
    for ballot in survey.ballots.submitted().select_related("zone").order_by("zone__code"):
        writer.writerow(
            [
                ballot.zone.code if ballot.zone else "",
                ballot.province,
                ballot.region,
                ballot.weight,
                timezone.localtime(ballot.submitted_at).strftime("%Y-%m-%d %H:%M"),
                ballot.cast_by,
                ballot.receipt,
                json.dumps(ballot.payload, ensure_ascii=False, sort_keys=True),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def publishable_rows(survey: Survey, tally: Tally) -> list[dict]:
    """The rows of a counted survey that a publication may print, with the same safeguards as
    the results page: only items the survey asked about (with their frozen titles in NL and
    FR), no score when scores are withheld, nothing when the result itself is withheld
    (an anonymous survey with fewer than k ballots).

    Each row: ``code``, ``title`` (``{"nl", "fr"}``), ``rank``, ``score`` (float or None),
    ``rank_low``, ``rank_high``.
    """
    data = tally.results or {}
    if data.get("withheld"):
        return []
    if survey.is_anonymous and tally.ballot_count < data.get("min_group", survey.min_group):
        return []  # a tally frozen before the rule: its order would be a group smaller than k
    asked = {item.code: item for item in survey_items(survey)}
    hide_scores = scores_withheld(survey, data)
    rows = []
    for row in data.get("order", []):
        item = asked.get(row["code"])
        if item is None:
            continue  # never put to the zones (e.g. a draft in a tally made before freezing)
        score = row.get("score")
        if hide_scores or score is None or not math.isfinite(float(score)):
            score = None
        rows.append(
            {
                "code": item.code,
                "title": SurveyItem.title.values(item),
                "rank": int(row["rank"]),
                "score": None if score is None else float(score),
                "rank_low": int(row.get("rank_low", row["rank"])),
                "rank_high": int(row.get("rank_high", row["rank"])),
            }
        )
    return rows
