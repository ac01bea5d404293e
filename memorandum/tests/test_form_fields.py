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
