"""What the document says: figures and dates from the data, language markers, priorities."""

from __future__ import annotations

import datetime
import io

import docx

from memorandum.catalogue.models import TimelineEvent, TimelineKind, WorkDomain
from memorandum.publication.document import build_document
from memorandum.publication.html import render_standalone
from memorandum.publication.pdf import render_pdf
from memorandum.publication.tests.helpers import (
    counted_survey,
    docx_paragraphs,
    flat,
    pdf_text,
)
from memorandum.publication.word import render_docx
from memorandum.test import BaseTestCase


class IntroductionTestCase(BaseTestCase):
    def test_the_introduction_states_the_process_with_figures_and_dates_from_the_data(self):
        facts = " ".join(build_document(self.edition, "nl").facts)
        self.assertIn(
            "De werkzaamheden waren gebaseerd op 10 werkgebieden: politieopdrachten, "
            "nabijheidspolitie, financiering,",
            facts,
        )
        self.assertIn("Conferentie van de korpschefs (oktober 2022)", facts)
        self.assertIn(
            "Via een enquête onder de korpschefs tussen midden mei en begin juni 2023 werd een "
            "volgorde van prioriteit bepaald.",
            facts,
        )
        self.assertIn(
            "De Algemene Vergadering consolideerde de resultaten op 13 juni en 11 juli 2023.", facts
        )
        self.assertIn(
            "Dit memorandum bevat 7 aanbevelingen aan de overheden en 5 engagementen van de Lokale Politie.",
            facts,
        )
        french = " ".join(build_document(self.edition, "fr").facts)
        self.assertIn(
            "au moyen d’une enquête menée auprès des chefs de corps entre la mi-mai et début juin 2023",
            french,
        )
        self.assertIn(
            "L’Assemblée générale a consolidé les résultats les 13 juin et 11 juillet 2023.", french
        )

    def test_the_figures_follow_the_data_when_it_changes(self):
        survey = self.edition.timeline.get(kind=TimelineKind.SURVEY)
        survey.date, survey.end_date = datetime.date(2023, 4, 3), datetime.date(2023, 4, 28)
        survey.precision = "day"
        survey.save()
        self.edition.timeline.filter(kind=TimelineKind.GENERAL_ASSEMBLY, date__month=7).delete()
        TimelineEvent.objects.create(
            edition=self.edition,
            kind=TimelineKind.GENERAL_ASSEMBLY,
            date=datetime.date(2024, 1, 9),
            title_nl="AV",
        )
        domain = WorkDomain.objects.create(edition=self.edition, number=11, name_nl="Nieuw domein")
        domain.themes.create(number=1, name_nl="Eerste thema")
        facts = " ".join(build_document(self.edition, "nl").facts)
        self.assertIn("gebaseerd op 11 werkgebieden: politieopdrachten,", facts)
        self.assertIn("communicatie, nieuw domein. Deze domeinen leidden tot 1 thema", facts)
        self.assertIn("enquête onder de korpschefs van 3 april tot 28 april 2023", facts)
        self.assertIn("op 13 juni 2023 en 9 januari 2024.", facts)

    def test_without_a_survey_or_assembly_the_introduction_says_nothing_about_them(self):
        self.edition.timeline.filter(
            kind__in=[TimelineKind.SURVEY, TimelineKind.GENERAL_ASSEMBLY]
        ).delete()
        facts = " ".join(build_document(self.edition, "nl").facts)
        self.assertNotIn("enquête van", facts)
        self.assertNotIn("Algemene Vergadering", facts)


class LanguageMarkersTestCase(BaseTestCase):
    def test_texts_missing_in_french_are_shown_in_dutch_with_a_marker_in_every_format(self):
        doc = build_document(self.edition, "fr")
        self.assertEqual(doc.fallback_languages, ["nl"])
        context_nl = self.edition.recommendations.get(kind="recommendation", number=1).context_nl
        html = render_standalone(doc)
        self.assertIn(
            '<div class="fallback" lang="nl"><p><span class="marker">[NL]</span> '
            + context_nl[:40],
            html,
        )
        pdf = flat(pdf_text(render_pdf(doc)))
        self.assertIn("[NL] " + flat(context_nl)[:40], pdf)
        self.assertIn("Les textes marqués [NL] n’existent pas encore dans cette langue", pdf)
        paragraphs = [text for _style, text in docx_paragraphs(render_docx(doc))]
        self.assertIn("[NL] " + context_nl, paragraphs)

    def test_actions_missing_in_french_keep_their_dutch_connective(self):
        commitment = self.edition.recommendations.get(kind="commitment", number=3)
        commitment.actions_fr = ""
        commitment.save()
        item = build_document(self.edition, "fr").commitments[2]
        self.assertTrue(item.actions_text.is_fallback)
        self.assertEqual(item.namely, "met name:")
        self.assertEqual(item.actions[0].text, commitment.action_items("nl")[0]["text"])

    def test_the_dutch_document_has_no_markers(self):
        doc = build_document(self.edition, "nl")
        self.assertEqual(doc.fallback_languages, [])
        self.assertNotIn('class="marker"', render_standalone(doc))


class PrioritiesTestCase(BaseTestCase):
    def test_without_a_chosen_survey_there_is_no_priorities_section(self):
        counted_survey(self.edition)
        doc = build_document(self.edition, "nl")
        self.assertIsNone(doc.priorities)
        self.assertNotIn("priorities", [s.anchor for s in doc.sections])

    def test_the_chosen_survey_comes_as_a_chart_with_its_table_in_rank_order(self):
        doc = build_document(self.edition, "nl", survey=counted_survey(self.edition))
        self.assertEqual([r.code for r in doc.priorities.rows], ["R1", "R3", "R6"])
        self.assertEqual(doc.priorities.rows[1].rank_range, "1–3")
        self.assertIn(
            "141 van de 185 politiezones namen deel aan de enquête “Prioriteitenbevraging 2023”, "
            "gehouden tussen midden mei en begin juni 2023",
            doc.priorities.summary,
        )
        self.assertIn("Methode: Borda", doc.priorities.summary)
        html = render_standalone(doc)
        self.assertIn('<svg role="img" aria-label="Prioriteiten volgens de enquête.', html)
        self.assertIn(
            '<td>R3</td><td>Toereikende middelen</td><td class="number">0,71</td><td>1–3</td>', html
        )
        self.assertIn("Synthetische gegevens", html)
        self.assertLess(html.index('id="commitments"'), html.index('id="priorities"'))
        pdf = flat(pdf_text(render_pdf(doc)))
        self.assertIn("Prioriteiten volgens de enquête", pdf)
        word = docx.Document(io.BytesIO(render_docx(doc)))
        # A synthetic survey says so in its heading (and so in the contents and bookmarks).
        self.assertIn(
            "Prioriteiten volgens de enquête (synthetische gegevens)",
            [p.text for p in word.paragraphs if p.style.name == "Heading 1"],
        )
        self.assertEqual(len(word.inline_shapes), 1)
        self.assertEqual(
            [c.text for c in word.tables[-1].rows[1].cells],
            ["1", "R1", "Een optimale en duurzame financiering", "0,83", "1–2"],
        )

    def test_priority_titles_are_taken_from_the_catalogue_in_the_document_language(self):
        doc = build_document(self.edition, "fr", survey=counted_survey(self.edition))
        self.assertEqual(
            [str(r.title) for r in doc.priorities.rows][:2],
            ["Un financement optimal et durable", "Des moyens suffisants"],
        )
        self.assertIn(
            "141 des 185 zones de police ont participé à l'enquête",
            doc.priorities.summary.replace("’", "'"),
        )

    def test_the_chart_is_the_same_for_the_same_data(self):
        survey = counted_survey(self.edition)
        first = render_standalone(build_document(self.edition, "fr", survey=survey))
        second = render_standalone(build_document(self.edition, "fr", survey=survey))
        self.assertEqual(first, second)


class LargeEditionTestCase(BaseTestCase):
    def test_a_full_scale_edition_shows_themes_and_keeps_its_contents_to_the_sections(self):
        from memorandum.catalogue.models import Status
        from memorandum.catalogue.synthetic import generate_edition
        from memorandum.publication.html import render_print

        edition = generate_edition(themes=21, recommendations=60, seed=3)
        edition.recommendations.update(status=Status.ADOPTED)
        doc = build_document(edition, "fr")
        self.assertEqual(len(doc.recommendations) + len(doc.commitments), 60)
        self.assertFalse(doc.contents_lists_items)
        html = render_print(doc)
        self.assertNotIn('class="toc-item"', html)
        # Grouped by domain and theme, in the contents and the body, numbered along them.
        self.assertIn('class="toc-domain"', html)
        themed = next(item for item in doc.recommendations if item.theme_code)
        self.assertIn(f'<span class="num">{themed.theme_code}</span>', html)
        self.assertTrue(themed.label.startswith(themed.theme_code + "."))
        self.assertIn(
            "Données synthétiques : générées pour les tests, non réelles.",
            html.replace("\u202f", " "),
        )
        self.assertIn("Projet : cette édition n’a pas été publiée.", html.replace("\u202f", " "))

    def test_building_the_document_takes_the_same_number_of_queries_whatever_its_size(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from memorandum.catalogue.models import Status
        from memorandum.catalogue.synthetic import generate_edition

        large = generate_edition(themes=21, recommendations=80, seed=4)
        large.recommendations.update(status=Status.ADOPTED)
        counts = []
        for edition in (self.edition, large):
            with CaptureQueriesContext(connection) as queries:
                build_document(edition, "nl")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
