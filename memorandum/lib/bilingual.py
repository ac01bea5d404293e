"""Content texts declared once, in Dutch and French.

On a model, ``title = BilingualField(models.CharField, _("title"), max_length=300,
required=["nl"])`` adds one column per content language (``title_nl``, ``title_fr``: one
column each, so they map one-to-one to spreadsheet columns, history diffs and ordering),
makes ``obj.title`` the text in the reader's language or a marked fallback (a
:class:`memorandum.lib.i18n.LocalizedText`), and registers the pair. Forms, the back
office, exports, amendments and diffs take their field lists from that registry instead
of spelling ``title_nl``, ``title_fr`` … out by hand:

- :func:`bilingual_fields` — the declarations of a model, in declaration order;
- :func:`bilingual_columns` — their column names (``["title_nl", "title_fr", …]``), for
  import/export columns, ``ModelForm.Meta.fields`` and search fields; :func:`required_columns`
  the ones that must be filled in;
- :func:`fieldset_rows` — ``[("title_nl", "title_fr"), …]`` for admin fieldsets;
- :func:`form_fields` — plain form fields built from the model fields (labels, lengths);
- :func:`texts_of` / :func:`copy_texts` — the raw values, e.g. to freeze or amend a text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from memorandum.lib.i18n import LocalizedText, localized, stored_texts

# The label of each language's column: "title (Dutch)", "titel (Nederlands)", "titre (néerlandais)".
COLUMN_LABELS = {
    "nl": pgettext_lazy("content field in one language", "{field} (Dutch)"),
    "fr": pgettext_lazy("content field in one language", "{field} (French)"),
}

_REGISTRY: dict[type[models.Model], list[BilingualField]] = {}


class BilingualField:
    """One content text in every content language; see the module docstring.

    ``required`` lists the languages that must be filled in (Dutch for most titles); every
    other keyword goes to each language's model field (``max_length``, ``help_text`` …).
    The model fields are made here, not when the model is built, so that they keep their
    place among the other fields (forms and the back office list fields in that order).
    """

    def __init__(
        self,
        field_class: type[models.Field],
        verbose_name: Any,
        *,
        required: Iterable[str] = (),
        **options: Any,
    ) -> None:
        self.verbose_name = verbose_name
        self.required = tuple(required)
        self.model_fields = {
            code: field_class(
                format_lazy(COLUMN_LABELS[code], field=verbose_name),
                blank=code not in self.required,
                **options,
            )
            for code in settings.CONTENT_LANGUAGES
        }
        self.name = ""
        self.model: type[models.Model] | None = None

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        self.model = cls
        for code, field in self.model_fields.items():
            cls.add_to_class(self.column(code), field)
        setattr(cls, name, self)
        if not cls._meta.abstract:
            _REGISTRY.setdefault(cls, []).append(self)

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return localized(obj, self.name)

    def __repr__(self) -> str:
        model = self.model.__name__ if self.model else "?"
        return f"<BilingualField {model}.{self.name}>"

    def column(self, lang: str) -> str:
        """The column holding this text in ``lang``: ``title_fr``."""
        return f"{self.name}_{lang}"

    @property
    def columns(self) -> list[str]:
        return [self.column(code) for code in settings.CONTENT_LANGUAGES]

    def values(self, obj: object) -> dict[str, str]:
        """``{"nl": …, "fr": …}`` as stored (no fallback; empty strings for missing ones)."""
        return stored_texts(obj, self.name)

    def localized(self, obj: object, lang: str | None = None) -> LocalizedText:
        """The text of ``obj`` in ``lang`` (default: the reader's), or the marked fallback."""
        return localized(obj, self.name, lang)


class BilingualNames:
    """``TEXT_FIELDS = BilingualNames()``: the names of the model's bilingual fields, derived."""

    def __get__(self, obj: object, owner: type) -> list[str]:
        return [field.name for field in bilingual_fields(owner)]


def _model_of(model_or_obj: Any) -> type[models.Model]:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    # A historical record (django-simple-history) names the model it is the history of.
    instance_type = getattr(model, "instance_type", None)
    if isinstance(instance_type, type):
        model = instance_type
    return model._meta.concrete_model if hasattr(model, "_meta") else model


def registered_models() -> list[type[models.Model]]:
    """Every model that declares bilingual fields."""
    return list(_REGISTRY)


def bilingual_fields(model: Any, names: Iterable[str] | None = None) -> list[BilingualField]:
    """The bilingual declarations of a model (class, instance or historical record).

    With ``names``, only those, in the order given; an unknown name is a programming error.
    """
    declared = _REGISTRY.get(_model_of(model), [])
    if names is None:
        return list(declared)
    by_name = {field.name: field for field in declared}
    return [by_name[name] for name in names]


def bilingual_columns(model: Any, names: Iterable[str] | None = None) -> list[str]:
    """``["title_nl", "title_fr", "objective_nl", …]``: the columns, field by field."""
    return [column for field in bilingual_fields(model, names) for column in field.columns]


def required_columns(model: Any, names: Iterable[str] | None = None) -> list[str]:
    """The columns that must be filled in (``["title_nl"]``), e.g. an import's required ones."""
    return [
        field.column(code)
        for field in bilingual_fields(model, names)
        for code in settings.CONTENT_LANGUAGES
        if code in field.required
    ]


def fieldset_rows(model: Any, names: Iterable[str] | None = None) -> list[tuple[str, ...]]:
    """Admin fieldset rows, the languages of a text side by side: ``[("title_nl", "title_fr")]``."""
    return [tuple(field.columns) for field in bilingual_fields(model, names)]


def form_fields(
    model: Any,
    names: Iterable[str] | None = None,
    *,
    required: bool | None = None,
    rows: int | None = None,
) -> dict[str, forms.Field]:
    """Plain form fields for the columns, with the model's labels, lengths and help texts.

    For a form that is not a ``ModelForm`` (an amendment, a proposal); ``required`` forces
    every field to be required or optional (default: as on the model); ``rows`` sizes the
    text areas.
    """
    out: dict[str, forms.Field] = {}
    for field in bilingual_fields(model, names):
        for code, model_field in field.model_fields.items():
            form_field = model_field.formfield()
            if required is not None:
                form_field.required = required
            if rows is not None and isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = rows
            out[field.column(code)] = form_field
    return out


def bilingual_form(
    model: Any,
    names: Iterable[str] | None = None,
    *,
    required: bool | None = None,
    rows: int | None = None,
) -> type[forms.Form]:
    """A form class holding :func:`form_fields`, to inherit from: ``class AmendForm(
    bilingual_form(Recommendation, required=False))``. Its ``text_columns`` lists the field
    names; ``form.text_fields`` gives the bound fields, for a template to render together."""
    fields = form_fields(model, names, required=required, rows=rows)

    def text_fields(self: forms.Form) -> list[forms.BoundField]:
        return [self[name] for name in self.text_columns]

    namespace = {**fields, "text_columns": list(fields), "text_fields": property(text_fields)}
    return type(f"{_model_of(model).__name__}Texts", (forms.Form,), namespace)


def texts_of(obj: Any, names: Iterable[str] | None = None) -> dict[str, str]:
    """``{"title_nl": …, "title_fr": …, …}``: the raw texts of ``obj`` (no fallback)."""
    return {column: getattr(obj, column, "") or "" for column in bilingual_columns(obj, names)}


def copy_texts(source: Any, target: Any, names: Iterable[str] | None = None) -> dict[str, str]:
    """The texts of ``source`` that ``target`` (a model or instance) also declares, by column.

    E.g. a survey item freezes a recommendation's title, objective, actions and context.
    """
    shared = {field.name for field in bilingual_fields(target)}
    wanted = [field.name for field in bilingual_fields(source) if field.name in shared]
    if names is not None:
        wanted = [name for name in wanted if name in set(names)]
    return texts_of(source, wanted)


def missing_translations(obj: Any, names: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """``[(field, language), …]`` where one content language has text and another has not."""
    missing = []
    for field in bilingual_fields(obj, names):
        values = {code: value.strip() for code, value in field.values(obj).items()}
        if any(values.values()):
            missing += [(field.name, code) for code, value in values.items() if not value]
    return missing
