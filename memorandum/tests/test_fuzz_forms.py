"""Fuzzing every form and every page's query parameters, as each role (see ``fuzzing.py``).

Every ``<form method="post">`` of every page is found by parsing the page, then posted with
generated values; no answer is a 5xx and nothing posted comes back unescaped.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from memorandum.tests.fuzzing import (
    FAILURES,
    FIGURES,
    ONLY,
    QUICK,
    ROLES,
    FuzzWorld,
    Rollback,
    fuzz_settings,
    hostile_text,
)


class FormFuzzTestCase(FuzzWorld):
    def test_every_form_as_every_role_answers_without_5xx_and_escapes_what_it_stores(self):
        targets = self.targets()
        self.assertGreater(len(targets), 20, "the fuzzer found too few forms")
        for role, method, url, fields in targets:
            if ONLY in url:
                self.fuzz_form(role, method, url, fields)
        FIGURES["forms"] = len(targets)
        self.assert_no_failures()

    def test_query_parameters_of_every_page_answer_without_5xx(self):
        parameters = ["page", "q", "receipt", "recommendation", "indicator", "proposals", "lang"]

        @fuzz_settings()
        @given(
            page=st.sampled_from(self.pages()),
            role=st.sampled_from(ROLES),
            query=st.dictionaries(st.sampled_from(parameters) | hostile_text, hostile_text),
        )
        def case(page, role, query):
            FIGURES["cases"] += 1
            client = Client()
            try:
                with transaction.atomic():
                    self.login_as(client, role)
                    response = self.request(client, "get", page + "?" + urlencode(query))
                    self.assert_escaped(response, page)
                    raise Rollback
            except Rollback:
                pass

        for _ in range(1 if QUICK else 5):
            try:
                case()
            except AssertionError as error:
                FAILURES.append(f"query parameters: {error}")
        self.assert_no_failures()
