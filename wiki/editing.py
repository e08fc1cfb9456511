"""A page kind's edit form with its formsets, as one unit, and its data.

Form *data* here is what a browser posts: a dict of field name to a list of
strings.  Proposals store it, approval replays it, and ``merge`` combines a
proposal's data with the data of the page as it is now, field by field:
a *group* is one form field or one whole formset.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.models import BaseModelFormSet
from django.utils.datastructures import MultiValueDict

from wiki import registry
from wiki.models import Page
from wiki.text import clean_block

FormData = dict[str, list[str]]
_ROW_CONTROL = {"id", DELETION_FIELD_NAME, ORDERING_FIELD_NAME}


def data_from_post(post: MultiValueDict, *, skip_prefixes=("edit-",)) -> FormData:
    """The page's part of a posted form: no CSRF token, no edit summary, and no
    control characters (the forms drop them; the database may refuse them)."""
    return {
        clean_block(key): [clean_block(str(v)) for v in post.getlist(key)]
        for key in post
        if key != "csrfmiddlewaretoken"
        and not key.startswith(skip_prefixes)
        and "__prefix__" not in key  # an empty row's template, not a row
    }


def _multi(data: Mapping | None) -> MultiValueDict | None:
    if data is None or isinstance(data, MultiValueDict):
        return data
    return MultiValueDict({k: list(v) for k, v in data.items()})


@dataclass
class Group:
    """One thing a proposal changes or leaves: a form field or a whole formset."""

    name: str
    label: str
    kind: str  # "field" or "formset"
    prefix: str = ""  # a formset's prefix
    snapshot_field: str = ""

    def keys(self, data: Mapping) -> list[str]:
        if self.kind == "field":
            return [self.name] if self.name in data else []
        return [key for key in data if key.startswith(f"{self.prefix}-")]


@dataclass(frozen=True)
class FieldError:
    """One error of a form, as the error summary lists it."""

    label: str  # where: "Title", "Affiliations, row 2: Organization"
    message: str
    target: str  # the id of the element that takes focus to fix it


def form_errors(form, *, where: str = "", fallback: str = "") -> list[FieldError]:
    """Every error of ``form``, one per message, each pointing at its field.

    An error of the form as a whole, or of a hidden field, points at
    ``fallback`` (or the form's first visible field).
    """
    if not form.is_bound:
        return []
    visible = [bf for bf in form.visible_fields() if bf.name != ORDERING_FIELD_NAME]
    first = visible[0].id_for_label if visible else ""
    items = []
    for name, messages in form.errors.items():
        bound = form[name] if name != NON_FIELD_ERRORS and name in form.fields else None
        if bound is None or bound.is_hidden:
            label, target = where or "This form", fallback or first
        else:
            label = str(bound.label or name)
            label = f"{where}: {label}" if where else label
            target = bound.id_for_label
        items.extend(FieldError(label, str(message), target) for message in messages)
    return items


class Editor:
    """The edit form of one kind, bound to data or showing a page (or a
    record of a kind that is not a page, e.g. a source)."""

    def __init__(self, kind: str, *, page: Page | None = None, data=None):
        spec = registry.page_editor(kind)
        self.kind = kind
        if page is None:
            page = spec.form._meta.model()  # a page form sets its kind
        self.page = page
        bound = _multi(data)
        self.form = spec.form(bound, instance=page, kind=kind)
        self.formset_specs = registry.page_formsets(kind)
        self.formsets = [
            spec.formset(bound, instance=page, prefix=spec.prefix)
            for spec in self.formset_specs
        ]
        self._by_prefix = {fs.prefix: fs for fs in self.formsets}

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets:
            valid = formset.is_valid() and valid
        return valid

    def field_errors(self) -> list[FieldError]:
        """Every error of the page's fields and of every row, in form order."""
        items = form_errors(self.form)
        for spec, formset, rows in self.sections():
            if not formset.is_bound:
                continue
            items.extend(
                FieldError(spec.label, str(message), f"formset-{spec.prefix}")
                for message in formset.non_form_errors()
            )
            for number, form in enumerate(rows, start=1):
                items += form_errors(form, where=f"{spec.label}, row {number}")
        return items

    @property
    def error_count(self) -> int:
        return len(self.field_errors())

    def has_changed(self) -> bool:
        """Whether the bound data differs from the page it was shown with."""
        return self.form.has_changed() or any(f.has_changed() for f in self.formsets)

    def save_related(self) -> None:
        """Save the formsets' rows; ``page_publish`` calls it after the page."""
        for formset in self.formsets:
            formset.save_rows()

    @property
    def media(self) -> forms.Media:
        media = self.form.media
        for formset in self.formsets:
            media += formset.media
        return media

    def sections(self):
        """Each row group: its spec, its formset and its rows in the order shown."""
        return [
            (spec, formset, rows_in_order(formset))
            for spec, formset in zip(self.formset_specs, self.formsets, strict=True)
        ]

    # -- data -----------------------------------------------------------------

    def initial_data(self) -> FormData:
        """The data a browser would post from this form, untouched."""
        data: FormData = {}
        for bound_field in self.form:
            data[bound_field.html_name] = _field_data(bound_field)
        for formset in self.formsets:
            forms_ = formset.initial_forms
            prefix = formset.prefix
            data[f"{prefix}-TOTAL_FORMS"] = [str(len(forms_))]
            data[f"{prefix}-INITIAL_FORMS"] = [str(len(forms_))]
            for index, form in enumerate(forms_):
                for bound_field in form:
                    if bound_field.name == DELETION_FIELD_NAME:
                        continue
                    if bound_field.name == ORDERING_FIELD_NAME:
                        data[bound_field.html_name] = [str(index + 1)]
                    else:
                        data[bound_field.html_name] = _field_data(bound_field)
        return data

    def groups(self) -> list[Group]:
        groups = [
            Group(name, str(f.label or name), "field", snapshot_field=name)
            for name, f in self.form.fields.items()
        ]
        groups += [
            Group(
                spec.prefix,
                spec.label,
                "formset",
                prefix=spec.prefix,
                snapshot_field=spec.snapshot_field,
            )
            for spec in self.formset_specs
        ]
        return groups

    def group_value(self, group: Group, data: Mapping) -> object:
        """``data``'s value for ``group``, normalised so equal means unchanged."""
        if group.kind == "field":
            return _normalise(self.form.fields[group.name], _getlist(data, group.name))
        formset = self._by_prefix[group.prefix]
        fields = {
            name: f
            for name, f in formset.empty_form.fields.items()
            if name not in _ROW_CONTROL and not _is_fk(formset, name)
        }
        rows = []
        for index, row in enumerate(formset_rows(group.prefix, data)):
            if _checked(row.get(DELETION_FIELD_NAME, [])):
                continue
            values = tuple(
                _normalise(f, row.get(name, [])) for name, f in fields.items()
            )
            if not any(values):
                continue
            order = _int(_last(row.get(ORDERING_FIELD_NAME, [])))
            rows.append((order if order is not None else 10**9, index, values))
        return [values for _, _, values in sorted(rows)]

    def describe(self, group: Group, data: Mapping) -> str:
        """``data``'s value for ``group`` as text a person reads."""
        value = self.group_value(group, data)
        if group.kind == "field":
            if isinstance(value, bool):
                return "yes" if value else "no"
            return str(value)
        return "\n".join(" · ".join(v for v in row if v) for row in value)


def rows_in_order(formset) -> list:
    """A formset's forms in the order the user put them: a form sent back (with
    errors, or for a preview) shows its rows as they were arranged, by order
    number, not in the order they were added."""
    forms_ = list(formset.forms)
    if not (formset.is_bound and getattr(formset, "can_order", False)):
        return forms_

    def position(item):
        index, form = item
        order = _int(str(form[ORDERING_FIELD_NAME].value() or ""))
        return (order if order is not None else 10**9, index)

    return [form for _, form in sorted(enumerate(forms_), key=position)]


def _is_fk(formset, name: str) -> bool:
    fk = getattr(formset, "fk", None)
    return fk is not None and fk.name == name


def _getlist(data: Mapping, key: str) -> list[str]:
    if isinstance(data, MultiValueDict):
        return data.getlist(key)
    value = data.get(key, [])
    return list(value) if isinstance(value, list | tuple) else [value]


def _last(values: list[str]) -> str:
    return values[-1] if values else ""


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _checked(values: list[str]) -> bool:
    return bool(values) and _last(values).strip().lower() not in (
        "",
        "false",
        "0",
        "off",
    )


def _normalise(form_field: forms.Field, values: list[str]) -> object:
    if isinstance(form_field.widget, forms.CheckboxInput):
        return _checked(values)
    if isinstance(form_field.widget, forms.SelectMultiple):
        return sorted(values)
    if isinstance(form_field.widget, forms.Textarea):
        return _last(values).replace("\r\n", "\n").strip()
    return " ".join(_last(values).split())


def _field_data(bound_field) -> list[str]:
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if widget.check_test(value) else []
    if isinstance(widget, forms.SelectMultiple):
        return [str(v) for v in value or []]
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        formatted = formatted[0] if formatted else ""
    return ["" if formatted is None else str(formatted)]


def formset_rows(prefix: str, data: Mapping) -> list[dict[str, list[str]]]:
    """The rows a formset's data holds, each as {field: values}, in form order."""
    total = min(
        _int(_last(_getlist(data, f"{prefix}-TOTAL_FORMS"))) or 0,
        settings.LINEAGE_MAX_FORM_ROWS,
    )
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        rows.append(
            {
                key[len(start) :]: _getlist(data, key)
                for key in data
                if key.startswith(start)
            }
        )
    return rows


def formset_data(
    prefix: str, existing: Iterable[dict], new: Iterable[dict]
) -> FormData:
    """Formset data from rows: ``existing`` ones (with ids) first, then ``new``."""
    existing, new = list(existing), list(new)
    data: FormData = {
        f"{prefix}-TOTAL_FORMS": [str(len(existing) + len(new))],
        f"{prefix}-INITIAL_FORMS": [str(len(existing))],
    }
    for index, row in enumerate([*existing, *new]):
        for name, values in row.items():
            data[f"{prefix}-{index}-{name}"] = list(values)
    return data


def rebase_rows(
    prefix: str, data: Mapping, current: Mapping, *, model_rows: bool
) -> FormData:
    """A formset's data from ``data``, made to apply to the rows ``current`` has.

    Rows whose id the page no longer has become new rows; rows the page has
    that ``data`` does not list are deleted, so the result is exactly ``data``'s
    list whatever happened to the page meanwhile.
    """
    rows = formset_rows(prefix, data)
    if not model_rows:
        return formset_data(prefix, [], [_without(r, "id") for r in rows])
    initial = _int(_last(_getlist(current, f"{prefix}-INITIAL_FORMS"))) or 0
    current_ids = [
        _last(row.get("id", [])) for row in formset_rows(prefix, current)[:initial]
    ]
    initial_in_data = _int(_last(_getlist(data, f"{prefix}-INITIAL_FORMS"))) or 0
    existing, new, kept = [], [], set()
    for index, row in enumerate(rows):
        row_id = _last(row.get("id", [])) if index < initial_in_data else ""
        if row_id and row_id in current_ids and row_id not in kept:
            kept.add(row_id)
            existing.append(row)
        elif not _checked(row.get(DELETION_FIELD_NAME, [])):
            new.append(_without(row, "id"))
    for row_id in current_ids:
        if row_id not in kept:
            existing.append({"id": [row_id], DELETION_FIELD_NAME: ["on"]})
    return formset_data(prefix, existing, new)


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}


@dataclass
class Merge:
    """The outcome of a three-way merge of form data."""

    data: FormData
    changed: list[Group] = field(default_factory=list)  # by the proposal
    changed_meanwhile: list[Group] = field(default_factory=list)  # on the page
    conflicts: list[Group] = field(default_factory=list)  # both, differently
    resolved: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(
    editor: Editor,
    *,
    base: Mapping | None,
    current: Mapping,
    theirs: Mapping,
    resolutions: Mapping[str, str] | None = None,
) -> Merge:
    """Apply what ``theirs`` changed since ``base`` to ``current``, group by group.

    A group both sides changed, to different values, is a conflict unless
    ``resolutions`` says which side to keep ("current" or "proposal"); until
    then the merged data keeps the current value.  Without a ``base`` (it
    could not be read back) every difference from ``current`` is a conflict.
    """
    resolutions = resolutions or {}
    result = Merge(data={})
    model_rows = {
        spec.prefix: issubclass(spec.formset, BaseModelFormSet)
        for spec in editor.formset_specs
    }
    for group in editor.groups():
        value_current = editor.group_value(group, current)
        value_theirs = editor.group_value(group, theirs)
        value_base = editor.group_value(group, base) if base is not None else None
        theirs_changed = base is None or value_theirs != value_base
        current_changed = base is None or value_current != value_base
        if base is not None and current_changed:
            result.changed_meanwhile.append(group)
        if value_theirs == value_current or not theirs_changed:
            source = "current"
        elif not current_changed:
            source = "proposal"
            result.changed.append(group)
        else:
            result.changed.append(group)
            choice = resolutions.get(group.name)
            if choice in ("current", "proposal"):
                result.resolved[group.name] = choice
                source = choice
            else:
                result.conflicts.append(group)
                source = "current"
        chosen = theirs if source == "proposal" else current
        if group.kind == "field":
            for key in group.keys(chosen):
                result.data[key] = _getlist(chosen, key)
        elif source == "proposal":
            result.data.update(
                rebase_rows(
                    group.prefix, theirs, current, model_rows=model_rows[group.name]
                )
            )
        else:
            for key in group.keys(current):
                result.data[key] = _getlist(current, key)
    return result
