"""The shared form_fields.html: ids stay unique when fields have errors, and a group of
checkboxes points to its help and its errors."""

import re
from collections import Counter

from django import forms
from django.template.loader import render_to_string
from django.test import SimpleTestCase


class _Form(forms.Form):
    name = forms.CharField(help_text="Your name")
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "picker"}),
        help_text="Pick some",
    )


class FormFieldsTemplateTestCase(SimpleTestCase):
    def test_errors_keep_ids_unique_and_are_described(self):
        form = _Form({})
        self.assertFalse(form.is_valid())
        html = render_to_string("form_fields.html", {"form": form})
        ids = Counter(re.findall(r'\bid="([^"]+)"', html))
        self.assertEqual([i for i, n in ids.items() if n > 1], [])
        self.assertIn('id="id_name_error"', html)
        self.assertIn('aria-describedby="id_kinds_helptext id_kinds_error"', html)
        self.assertIn('id="id_kinds_error"', html)


class PickerStylesTestCase(SimpleTestCase):
    def test_the_hidden_tools_stay_hidden_without_javascript(self):
        """The tools are shown by picker.js; site.css gives them "display: flex", which
        outranks the browser's own rule for [hidden] unless a rule restores it."""
        from pathlib import Path

        css = (Path(__file__).parents[1] / "static/memorandum/site.css").read_text()
        rule = re.search(r"([^{}]*\.picker-tools\[hidden\][^{}]*)\{([^}]*)\}", css)
        self.assertIsNotNone(rule)
        self.assertIn("display: none", rule.group(2))
        self.assertIn(".picker li[hidden]", rule.group(1))
