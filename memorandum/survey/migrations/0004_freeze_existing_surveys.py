"""Freeze the item list of every survey that was opened before items were frozen.

- A tallied survey keeps the items its tally counted (the tally's own list, in its order),
  with the catalogue's texts where the item still exists, less any item that was never
  published (still a draft or a proposal): those must not reach results or exports.
- An open or closed survey keeps what its ballots showed (the catalogue's current items
  under the old rule), less drafts and proposals, which must never be on a ballot.

Self-contained on purpose: a migration must not depend on application code that changes.
"""

from django.db import migrations

NEVER_PUBLISHED = ("draft", "proposed")
OLD_RULE_EXCLUDED = ("rejected", "withdrawn", "merged")
PREFIX = {"recommendation": "R", "commitment": "C"}


def _rec_item(rec):
    if rec.theme_id:
        code = f"{rec.theme.domain.number}.{rec.theme.number}"
        group = f"t{code}"
        label_nl = f"{code} {rec.theme.name_nl}"
        label_fr = f"{code} {rec.theme.name_fr}" if rec.theme.name_fr else ""
    else:
        group = f"d{rec.domain.number}"
        label_nl = f"{rec.domain.number}. {rec.domain.name_nl}"
        label_fr = f"{rec.domain.number}. {rec.domain.name_fr}" if rec.domain.name_fr else ""
    return {
        "code": f"{PREFIX[rec.kind]}{rec.number}",
        "recommendation_id": rec.pk,
        "title_nl": rec.title_nl,
        "title_fr": rec.title_fr,
        "objective_nl": rec.objective_nl,
        "objective_fr": rec.objective_fr,
        "actions_nl": rec.actions_nl,
        "actions_fr": rec.actions_fr,
        "context_nl": rec.context_nl,
        "context_fr": rec.context_fr,
        "group": group,
        "group_label_nl": label_nl,
        "group_label_fr": label_fr,
    }


def _theme_item(theme):
    domain = theme.domain
    return {
        "code": f"T{domain.number}.{theme.number}",
        "theme_id": theme.pk,
        "title_nl": theme.name_nl,
        "title_fr": theme.name_fr,
        "group": f"d{domain.number}",
        "group_label_nl": f"{domain.number}. {domain.name_nl}",
        "group_label_fr": f"{domain.number}. {domain.name_fr}" if domain.name_fr else "",
    }


def _catalogue(apps, survey):
    """The survey's items under the old rule, by code, in the old order."""
    Recommendation = apps.get_model("catalogue", "Recommendation")
    Theme = apps.get_model("catalogue", "Theme")
    out = {}
    if survey.items in ("recommendations", "both"):
        recs = (
            Recommendation.objects.filter(edition_id=survey.edition_id)
            .exclude(status__in=OLD_RULE_EXCLUDED)
            .select_related("domain", "theme__domain")
            .order_by("domain__number", "theme__number", "-kind", "number")
        )
        for rec in recs:
            item = _rec_item(rec)
            item["status"] = rec.status
            out[item["code"]] = item
    if survey.items in ("themes", "both"):
        themes = Theme.objects.filter(domain__edition_id=survey.edition_id).select_related(
            "domain"
        )
        for theme in themes.order_by("domain__number", "number"):
            item = _theme_item(theme)
            out[item["code"]] = item
    return out


def freeze_existing(apps, schema_editor):
    Survey = apps.get_model("survey", "Survey")
    SurveyItem = apps.get_model("survey", "SurveyItem")
    Recommendation = apps.get_model("catalogue", "Recommendation")
    for survey in Survey.objects.exclude(status="draft"):
        if SurveyItem.objects.filter(survey=survey).exists():
            continue
        catalogue = _catalogue(apps, survey)
        tally = survey.tallies.order_by("-created_at", "-id").first()
        if tally is not None and tally.results.get("items"):
            statuses = dict(
                (f"{PREFIX[kind]}{number}", status)
                for kind, number, status in Recommendation.objects.filter(
                    edition_id=survey.edition_id
                ).values_list("kind", "number", "status")
            )
            items = []
            for frozen in tally.results["items"]:
                code = frozen["code"]
                if statuses.get(code) in NEVER_PUBLISHED:
                    continue
                item = catalogue.get(code) or {
                    "code": code,
                    "title_nl": frozen.get("title") or code,
                    "group": frozen.get("group", ""),
                    "group_label_nl": frozen.get("group_label", ""),
                }
                items.append(item)
        else:
            items = [i for i in catalogue.values() if i.get("status") not in NEVER_PUBLISHED]
        SurveyItem.objects.bulk_create(
            SurveyItem(
                survey=survey,
                position=position,
                **{k: v for k, v in item.items() if k != "status"},
            )
            for position, item in enumerate(items, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0003_survey_items_frozen"),
        ("catalogue", "0001_initial"),
    ]

    operations = [migrations.RunPython(freeze_existing, migrations.RunPython.noop)]
