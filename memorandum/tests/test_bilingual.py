"""Bilingual content: declared once (the registry) and shown through one localising helper."""

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from memorandum.assembly.forms import AgendaItemForm, DecisionForm, MeetingForm
from memorandum.assembly.models import AgendaItem, Decision, Meeting
from memorandum.catalogue.models import Edition, Province, Recommendation
from memorandum.consultation.forms import MergeForm
from memorandum.lib.bilingual import (
    BilingualField,
    bilingual_columns,
    bilingual_fields,
    copy_texts,
    fieldset_rows,
    missing_translations,
    registered_models,
    required_columns,
)
from memorandum.lib.i18n import LocalizedText, localize_values, marked, page_language_note
from memorandum.roadmap.forms import IndicatorForm, InitiativeForm, MilestoneForm
from memorandum.roadmap.models import Indicator, Initiative, Milestone
from memorandum.survey.forms import SurveyForm
from memorandum.survey.models import Survey, SurveyItem
from memorandum.test import BaseTestCase


def our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("memorandum.")]


class RegistryTestCase(SimpleTestCase):
    def test_every_language_column_of_every_model_belongs_to_a_declared_pair(self):
        """No ``x_nl`` column is declared by hand: each one comes from a BilingualField."""
        for model in our_models():
            declared = set(bilingual_columns(model))
            for field in model._meta.get_fields():
                if field.name.endswith(("_nl", "_fr")):
                    self.assertIn(field.name, declared, f"{model._meta.label}.{field.name}")

    def test_the_registry_holds_all_the_pairs(self):
        pairs = sum(len(bilingual_fields(m)) for m in registered_models())
        self.assertGreaterEqual(len(registered_models()), 16)
        self.assertGreaterEqual(pairs, 34)

    def test_a_declaration_adds_one_column_per_language_in_its_place(self):
        names = [f.name for f in Recommendation._meta.fields]
        self.assertEqual(
            names[names.index("theme") + 1 : names.index("status")],
            bilingual_columns(Recommendation),
        )
        self.assertEqual(
            bilingual_columns(Recommendation),
            [f"{base}_{lang}" for base in ("title", "objective", "actions", "context")
             for lang in ("nl", "fr")],
        )  # fmt: skip

    def test_required_languages_are_not_blank(self):
        self.assertFalse(Recommendation._meta.get_field("title_nl").blank)
        self.assertTrue(Recommendation._meta.get_field("title_fr").blank)
        self.assertEqual(required_columns(Recommendation), ["title_nl"])
        self.assertEqual(required_columns(Province), ["name_nl", "name_fr"])

    def test_the_columns_keep_their_labels_per_language(self):
        field = Recommendation._meta.get_field("objective_fr")
        with translation.override("en"):
            self.assertEqual(str(field.verbose_name), "objective (French)")
        with translation.override("nl"):
            self.assertEqual(str(field.verbose_name), "doelstelling (Frans)")

    def test_the_class_attribute_is_the_declaration(self):
        self.assertIsInstance(Recommendation.title, BilingualField)
        self.assertEqual(Recommendation.title.columns, ["title_nl", "title_fr"])

    def test_a_historical_record_has_its_models_fields(self):
        self.assertEqual(
            bilingual_columns(Recommendation.history.model), bilingual_columns(Recommendation)
        )

    def test_an_amendment_holds_the_texts_of_a_recommendation(self):
        self.assertEqual(
            [f.name for f in bilingual_fields(Decision)],
            [f.name for f in bilingual_fields(Recommendation)],
        )

    def test_a_survey_item_freezes_every_text_it_shares_with_the_recommendation(self):
        rec = Recommendation(title_nl="T", title_fr="T fr", actions_nl="a", context_fr="c")
        self.assertEqual(
            copy_texts(rec, SurveyItem),
            {
                "title_nl": "T", "title_fr": "T fr", "objective_nl": "", "objective_fr": "",
                "actions_nl": "a", "actions_fr": "", "context_nl": "", "context_fr": "c",
            },
        )  # fmt: skip

    def test_missing_translations_names_field_and_language(self):
        rec = Recommendation(title_nl="T", objective_fr="O")
        self.assertEqual(missing_translations(rec), [("title", "fr"), ("objective", "nl")])


class DerivedFieldListsTestCase(SimpleTestCase):
    def test_forms_take_their_text_fields_from_the_declarations(self):
        for form, model in (
            (MeetingForm, Meeting),
            (AgendaItemForm, AgendaItem),
            (InitiativeForm, Initiative),
            (MilestoneForm, Milestone),
            (IndicatorForm, Indicator),
            (SurveyForm, Survey),
        ):
            with self.subTest(form=form.__name__):
                for column in bilingual_columns(model):
                    self.assertIn(column, form.base_fields)

    def test_the_amendment_form_edits_every_text_of_a_recommendation(self):
        self.assertEqual(DecisionForm.text_columns, bilingual_columns(Recommendation))
        with translation.override("en"):
            self.assertEqual(str(DecisionForm.base_fields["title_fr"].label), "Title (French)")
        self.assertEqual(DecisionForm.base_fields["title_nl"].max_length, 300)
        self.assertFalse(DecisionForm.base_fields["title_nl"].required)

    def test_the_back_office_shows_each_text_in_both_languages_side_by_side(self):
        recommendation_admin = admin.site._registry[Recommendation]
        texts = dict(recommendation_admin.fieldsets)[recommendation_admin.fieldsets[1][0]]
        self.assertEqual(texts["fields"], fieldset_rows(Recommendation))
        edition_admin = admin.site._registry[Edition]
        shown = [
            row
            for _name, options in edition_admin.fieldsets
            for row in options["fields"]
            if isinstance(row, tuple)
        ]
        for row in fieldset_rows(Edition):
            self.assertIn(row, shown)

    def test_every_declared_text_is_a_text_field(self):
        for model in registered_models():
            for field in bilingual_fields(model):
                for model_field in field.model_fields.values():
                    self.assertIsInstance(model_field, models.CharField | models.TextField)


class LocalisingHelperTestCase(SimpleTestCase):
    def test_the_text_in_the_readers_language_is_not_a_fallback(self):
        text = localize_values({"nl": "Titel", "fr": "Titre"}, "fr")
        self.assertEqual((text, text.lang, text.is_fallback), ("Titre", "fr", False))

    def test_a_missing_french_text_falls_back_to_dutch_and_says_so(self):
        text = localize_values({"nl": "Titel", "fr": "  "}, "fr")
        self.assertEqual((text, text.lang), ("Titel", "nl"))
        self.assertTrue(text.is_fallback)
        self.assertTrue(text.is_missing_translation)
        self.assertEqual(marked(text), "[NL] Titel")

    def test_english_readers_get_dutch_tagged_but_not_marked(self):
        text = localize_values({"nl": "Titel", "fr": "Titre"}, "en")
        self.assertEqual((text, text.lang), ("Titel", "nl"))
        self.assertTrue(text.is_fallback)  # so it gets lang="nl"
        self.assertFalse(text.is_missing_translation)  # but no "[NL]" on every passage
        self.assertEqual(marked(text), "Titel")

    def test_the_model_accessor_uses_the_active_language(self):
        rec = Recommendation(title_nl="Titel", title_fr="")
        with translation.override("fr"):
            self.assertEqual(rec.title.lang, "nl")
            self.assertTrue(rec.title.is_missing_translation)
        self.assertEqual(Recommendation.title.localized(rec, "nl").lang, "nl")

    def test_only_english_pages_get_the_page_level_note(self):
        self.assertEqual(page_language_note("nl"), "")
        self.assertEqual(page_language_note("fr"), "")
        self.assertIn("Dutch", page_language_note("en"))


class TemplateFilterTestCase(SimpleTestCase):
    def render(self, source: str, lang: str, **context) -> str:
        with translation.override(lang):
            return Template(source).render(Context(context))

    def test_a_text_in_the_readers_language_is_rendered_as_it_is(self):
        text = LocalizedText("Titre <b>", "fr", "fr")
        self.assertEqual(self.render("{{ t|tr }}", "fr", t=text), "Titre &lt;b&gt;")

    def test_a_missing_translation_gets_lang_and_a_visible_note_in_the_readers_language(self):
        text = LocalizedText("Titel", "nl", "fr")
        html = self.render("{{ t|tr }}", "fr", t=text)
        self.assertIn('<span class="fallback" lang="nl">Titel ', html)
        self.assertIn('<span class="fallback-note" lang="fr">[NL] ', html)

    def test_an_english_page_tags_the_dutch_text_without_a_marker(self):
        text = LocalizedText("Titel", "nl", "en")
        self.assertEqual(self.render("{{ t|tr }}", "en", t=text), '<span lang="nl">Titel</span>')
        self.assertEqual(
            self.render('{{ t|tr:"block" }}', "en", t=text), '<div lang="nl"><p>Titel</p></div>'
        )

    def test_a_list_rendered_piece_by_piece_gets_lang_and_the_note(self):
        text = LocalizedText("a\nb", "nl", "fr")
        html = self.render("<ul{{ t|lang_attr }}></ul>{{ t|fallback_note }}", "fr", t=text)
        self.assertTrue(html.startswith('<ul lang="nl"></ul><span class="fallback-note"'))


class PagesTestCase(BaseTestCase):
    def test_a_merge_into_a_new_recommendation_asks_its_title_and_objective_last(self):
        form = MergeForm(edition=self.edition)
        texts = bilingual_columns(Recommendation, ["title", "objective"])
        self.assertEqual(MergeForm.text_columns, texts)
        self.assertEqual(list(form.fields), ["proposals", "target", "kind", "domain", *texts])

    def test_the_english_page_says_once_that_the_texts_are_in_dutch(self):
        response = self.client.get("/en/editions/2024-2028/recommendations/R1/")
        self.assertContains(response, 'class="page-language-note"', count=1)
        self.assertNotContains(response, "fallback-note")
        self.assertContains(response, '<h1><span lang="nl">')

    def test_the_french_page_marks_each_dutch_passage(self):
        response = self.client.get("/fr/editions/2024-2028/recommendations/R1/")
        self.assertNotContains(response, "page-language-note")
        self.assertContains(response, '<span class="fallback-note" lang="fr">[NL] ')
