"""Reading frozen tallies (:attr:`Tally.result <memorandum.survey.models.Tally.result>`): the
results page's rows, CSV/XLSX exports and what the publication app may print
(:func:`published_priorities`)."""

from __future__ import annotations

import io
from dataclasses import asdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from memorandum.catalogue.models import Province, Region
from memorandum.lib.exports import BOM, SafeCSVWriter, csv_bytes, neutralise_workbook, xlsx_row
from memorandum.survey.contract import GroupRanks, PriorityRow, PublishedPriorities, TallyResult
from memorandum.survey.items import survey_items
from memorandum.survey.models import (
    METHOD_LABELS,
    RATING_CRITERIA,
    Ballot,
    Survey,
    SurveyItem,
    Tally,
    Weighting,
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
    data = tally.result
    titles = _titles(survey)
    provinces = {p.code: str(p.name) for p in Province.objects.all()}
    hide_scores = scores_withheld(survey, data)
    # Only items the survey asked about: a tally made before items were frozen may hold an
    # item that was never published, and that must not reach the results or their exports.
    order = [
        dict(asdict(row), title=titles[row.code], score=None if hide_scores else row.score)
        for row in data.order
        if row.code in titles
    ]
    methods = list(data.methods)
    method_rows = [
        {
            "code": row["code"],
            "title": row["title"],
            "ranks": [data.methods[m].get(row["code"]) for m in methods],
        }
        for row in order
    ]
    k = _min_group(survey, data)
    region_groups = _groups(data.by_region, k, _region_label)
    province_groups = _groups(data.by_province, k, lambda p: provinces.get(p, p))
    class_groups = _groups(data.by_weight_class, k, _class_label(survey))

    def rank_rows(groups: list[dict]) -> list[dict]:
        return [
            {
                "code": row["code"],
                "title": row["title"],
                "ranks": [g["ranks"].get(row["code"]) for g in groups],
            }
            for row in order
        ]

    part = data.participation
    participation_rows = [
        {"label": _region_label(g.key), "kind": "region", **_rate(g.expected, g.voted)}
        for g in part.regions
    ] + [
        {"label": provinces.get(g.key, g.key), "kind": "province", **_rate(g.expected, g.voted)}
        for g in part.provinces
    ]
    within = [
        {
            "label": group.label,
            "rows": sorted(
                (
                    {"code": c, "title": titles[c], "rank": r}
                    for c, r in group.ranks.items()
                    if c in titles
                ),
                key=lambda x: x["rank"],
            ),
        }
        for group in data.within.values()
    ]
    criteria = []
    if data.criteria:
        labels = dict(RATING_CRITERIA)
        criteria = {
            "labels": [labels[name] for name, _l in RATING_CRITERIA],
            "rows": [
                {
                    "code": row["code"],
                    "title": row["title"],
                    "means": [data.criteria[name].get(row["code"]) for name, _l in RATING_CRITERIA],
                }
                for row in order
            ],
        }
    return {
        "order": order,
        "method": method_label(data.method),
        "methods": [method_label(m) for m in methods],
        "method_rows": method_rows,
        "agreement": [{"method": method_label(m), "tau": tau} for m, tau in data.agreement.items()],
        "kendall_w": data.kendall_w,
        "regions": region_groups,
        "region_rows": rank_rows(region_groups),
        "provinces": province_groups,
        "province_rows": rank_rows(province_groups),
        "weight_classes": class_groups,
        "weight_class_rows": rank_rows(class_groups),
        "min_group": k,
        "small_groups": _small_groups_note(data, k, provinces, survey),
        "withheld": data.withheld,
        "scores_withheld": hide_scores,
        "participation": {"expected": part.expected, **_rate(part.expected, part.voted)},
        "participation_rows": participation_rows,
        "within": within,
        "criteria": criteria,
        "level_percent": round(100 * data.level),
        "top_k": data.top_k,
        "chart_items": min(len(order), CHART_MAX_ITEMS),
        "ballots": data.ballots,
    }


def _min_group(survey: Survey, result: TallyResult) -> int:
    """The k the tally was frozen with, or the survey's for a tally that did not record it."""
    return survey.min_group if result.min_group is None else result.min_group


def scores_withheld(survey: Survey, result: TallyResult) -> bool:
    """Were the scores of this tally withheld, or is it a weighted tally frozen before
    scores were checked (``tally.scores_are_safe``)? Then no score is shown. A tally that
    does not record its weighting is read with the survey's."""
    if result.scores_withheld:
        return True
    weighting = result.weighting or survey.weighting
    return result.min_group is None and weighting != Weighting.ZONE


def _groups(by_group: dict[str, GroupRanks], k: int, label) -> list[dict]:
    """The groups a reader may see: at least k ballots and ranked; "other" comes last.

    Tallies frozen before the rule existed may hold smaller groups: they are left out here.
    """
    shown = []
    for key, group in by_group.items():
        if group.ranks is None or group.ballots < k:
            continue
        row = {"key": key, "label": label(key), "ballots": group.ballots, "ranks": group.ranks}
        if key == OTHER and group.merged is not None:
            merged = ", ".join(label(m) for m in group.merged)
            row |= {"label": _("Other (%(groups)s)") % {"groups": merged}, "other": True}
        shown.append(row)
    shown.sort(key=lambda g: g.get("other", False))
    return shown


def _small_groups_note(result: TallyResult, k: int, provinces: dict, survey: Survey) -> list[str]:
    """One sentence per breakdown that merged or left out groups smaller than k."""
    notes = []
    kinds = [
        ("by_region", pgettext("small groups", "regions"), _region_label),
        ("by_province", pgettext("small groups", "provinces"), lambda p: provinces.get(p, p)),
        ("by_weight_class", pgettext("small groups", "weight classes"), _class_label(survey)),
    ]
    for key, kind, label in kinds:
        groups = result.breakdown(key)
        other = groups.get(OTHER)
        if other is not None and other.merged is None:
            other = None  # a tally frozen before merging: "other" would be a group's name
        old_small = [g for g, v in groups.items() if g != OTHER and v.ballots < k]
        if other and other.ranks is not None:
            notes.append(
                _(
                    "%(kind)s with fewer than %(k)s ballots (%(groups)s) are counted together as “other”."
                )
                % {"kind": kind, "k": k, "groups": ", ".join(label(g) for g in other.merged)}
            )
        elif other or old_small:
            n = other.ballots if other else sum(groups[g].ballots for g in old_small)
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


def _rate(expected: int, voted: int) -> dict:
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
    return csv_bytes(*export_rows(survey, tally))


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
    return (BOM + buffer.getvalue()).encode("utf-8")


def published_priorities(survey: Survey) -> PublishedPriorities | None:
    """What a publication may print of ``survey``'s latest count, or None when not counted.

    The one reader the publication uses, with the same safeguards as the results page: only
    items the survey asked about (with their frozen titles in NL and FR), no score when
    scores are withheld, no row when the result itself is withheld (an anonymous survey with
    fewer than k ballots).
    """
    tally = survey.latest_tally()
    if tally is None:
        return None
    result = tally.result
    return PublishedPriorities(
        survey_id=survey.pk,
        tally_id=tally.pk,
        title={lang: getattr(survey, f"title_{lang}") or "" for lang in settings.CONTENT_LANGUAGES},
        method=tally.method,
        ballot_form=survey.ballot_form,
        weighting=survey.weighting,
        ballots=tally.ballot_count,
        zones_total=result.participation.expected,
        opens=timezone.localtime(survey.opens_at).date(),
        closes=timezone.localtime(survey.closes_at).date(),
        counted=timezone.localtime(tally.created_at).date(),
        synthetic=survey.is_synthetic,
        rows=publishable_rows(survey, tally),
    )


def publishable_rows(survey: Survey, tally: Tally) -> list[PriorityRow]:
    """The rows of :func:`published_priorities`, in the tally's order."""
    result = tally.result
    if result.withheld:
        return []
    if survey.is_anonymous and tally.ballot_count < _min_group(survey, result):
        return []  # a tally frozen before the rule: its order would be a group smaller than k
    asked = {item.code: item for item in survey_items(survey)}
    hide_scores = scores_withheld(survey, result)
    return [
        PriorityRow(
            code=row.code,
            title=SurveyItem.title.values(asked[row.code]),
            rank=row.rank,
            score=None if hide_scores else row.score,
            rank_low=row.rank_low,
            rank_high=row.rank_high,
        )
        for row in result.order
        # never put to the zones (e.g. a draft in a tally made before freezing)
        if row.code in asked
    ]
