"""Reading frozen tallies: the results page's rows, CSV/XLSX exports and the summary the
publication app prints (:func:`published_priorities`)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.catalogue.models import KIND_PREFIX, Edition, Province, Recommendation, Region
from memorandum.lib.exports import SafeCSVWriter, neutralise_workbook, xlsx_row
from memorandum.survey.models import METHOD_LABELS, RATING_CRITERIA, Survey, Tally

PREFIX_KIND = {prefix: kind for kind, prefix in KIND_PREFIX.items()}
CHART_MAX_ITEMS = 30


def method_label(method: str) -> str:
    return str(METHOD_LABELS.get(method, method))


def _titles(survey: Survey, frozen: list[dict]) -> dict[str, object]:
    """Titles in the reader's language now, falling back to the ones frozen in the tally."""
    titles: dict[str, object] = {item["code"]: item["title"] for item in frozen}
    titles.update({item["code"]: item["title"] for item in survey.ranked_items()})
    return titles


def _region_label(key: str) -> str:
    try:
        return str(Region(key).label)
    except ValueError:
        return key


def view_model(survey: Survey, tally: Tally) -> dict:
    """Everything the results page, its charts and the exports show, as plain rows."""
    data = tally.results
    titles = _titles(survey, data.get("items", []))
    provinces = {p.code: str(p.name) for p in Province.objects.all()}
    order = [dict(row, title=titles.get(row["code"], row["code"])) for row in data.get("order", [])]
    methods = list(data.get("methods", {}))
    method_rows = [
        {
            "code": row["code"],
            "title": row["title"],
            "ranks": [data["methods"][m].get(row["code"]) for m in methods],
        }
        for row in order
    ]
    regions = list(data.get("by_region", {}))
    provinces_keys = list(data.get("by_province", {}))
    region_rows = [
        {
            "code": row["code"],
            "title": row["title"],
            "ranks": [data["by_region"][r]["ranks"].get(row["code"]) for r in regions],
        }
        for row in order
    ]
    province_rows = [
        {
            "code": row["code"],
            "ranks": [data["by_province"][p]["ranks"].get(row["code"]) for p in provinces_keys],
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
                    {"code": c, "title": titles.get(c, c), "rank": r}
                    for c, r in group["ranks"].items()
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
        "regions": [
            {"label": _region_label(r), "ballots": data["by_region"][r]["ballots"]} for r in regions
        ],
        "region_rows": region_rows,
        "provinces": [
            {"label": provinces.get(p, p), "ballots": data["by_province"][p]["ballots"]}
            for p in provinces_keys
        ],
        "province_rows": province_rows,
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
        _("Rank in %(group)s") % {"group": g["label"]} for g in view["regions"] + view["provinces"]
    ]
    rows = []
    for row, methods, regions, provinces in zip(
        view["order"], view["method_rows"], view["region_rows"], view["province_rows"], strict=True
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
    """Was a ballot with this receipt submitted before the tally (and so counted)?"""
    return (
        survey.ballots.submitted()
        .filter(receipt=receipt, submitted_at__lte=tally.created_at)
        .exists()
    )


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


def published_priorities(edition: Edition) -> dict | None:
    """The latest tallied survey of the edition, for the published memorandum (or None)."""
    survey = Survey.objects.for_edition(edition).tallied().order_by("-closes_at", "-id").first()
    tally = survey.latest_tally() if survey else None
    if tally is None:
        return None
    data = tally.results
    recommendations = {r.code: r for r in Recommendation.objects.filter(edition=edition)}
    frozen = {item["code"]: item["title"] for item in data.get("items", [])}
    items = []
    for row in data.get("order", []):
        rec = recommendations.get(row["code"])
        items.append(
            {
                "code": row["code"],
                "title": rec.title if rec else frozen.get(row["code"], row["code"]),
                "rank": row["rank"],
                "score": float(row["score"]) if row["score"] is not None else float("nan"),
                "rank_low": row["rank_low"],
                "rank_high": row["rank_high"],
            }
        )
    return {
        "title": survey.title,  # a LocalizedText in the active language (or the fallback)
        "method": method_label(tally.method),
        "ballots": tally.ballot_count,
        "zones_total": data.get("participation", {}).get("expected", 0),
        "window": (
            timezone.localtime(survey.opens_at).date(),
            timezone.localtime(survey.closes_at).date(),
        ),
        "items": items,
        "synthetic": survey.is_synthetic,
    }
