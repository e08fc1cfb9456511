"""BibTeX and CSL-JSON: moderators import a bibliography; anyone downloads a
source, a page's references or every source."""

import json
from collections.abc import Callable, Iterable, Iterator

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sources.bibtex import MAX_CHARACTERS, MAX_ENTRIES, to_bibtex
from sources.csl import csl_item
from sources.importing import Outcome, Plan, plan_import
from sources.models import Citation, Source
from sources.services import sources_import
from wiki import registry
from wiki.moderation import can_publish
from wiki.text import LineFormField

MAX_FILE_BYTES = 1024 * 1024
EXPORT_BATCH = 1000  # sources read per query when exporting them all
BIBTEX_TYPE = "application/x-bibtex; charset=utf-8"
CSL_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"


# -- import ----------------------------------------------------------------------


class ImportForm(forms.Form):
    bibtex = forms.CharField(
        label="BibTeX",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80, "spellcheck": "false"}),
        help_text=f"Paste entries here, at most {MAX_CHARACTERS:,} characters.",
    )
    file = forms.FileField(
        label="Or upload a .bib file",
        required=False,
        help_text="UTF-8, at most 1 MB; it replaces the pasted text.",
    )
    summary = LineFormField(
        label="Edit summary",
        max_length=255,
        required=False,
        help_text="Recorded with the import in each new source's history.",
    )
    digest = forms.CharField(required=False, widget=forms.HiddenInput)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    f"The file is {upload.size:,} bytes; at most "
                    f"{MAX_FILE_BYTES:,} are read. Split it and import the "
                    "parts one after the other."
                )
            try:
                data["bibtex"] = upload.read(MAX_FILE_BYTES).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not UTF-8 text; save it as UTF-8 and upload it again."
                ) from None
            # Shown in the box from now on, so that it is kept if sent again.
            self.data = self.data.copy()
            self.data["bibtex"] = data["bibtex"]
        text = data.get("bibtex", "").replace("\r\n", "\n")
        data["bibtex"] = text
        if not text.strip():
            raise forms.ValidationError("Paste BibTeX entries or choose a .bib file.")
        if len(text) > MAX_CHARACTERS:
            raise forms.ValidationError(
                f"The text is {len(text):,} characters; at most "
                f"{MAX_CHARACTERS:,} are read at once. Split it and import the "
                "parts one after the other."
            )
        return data


def _require_moderator(request) -> None:
    if not can_publish(request.user):
        raise PermissionDenied("Only moderators import sources.")


@login_required
def source_import(request):
    """Paste or upload BibTeX, see what each entry would do, then import the
    new sources as one revision."""
    _require_moderator(request)
    if request.method != "POST":
        return _render(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    text = form.cleaned_data["bibtex"]
    plan = plan_import(text)
    if request.POST.get("action") != "import":
        return _render(request, form, plan, status=200 if plan.importable else 400)
    return _commit(request, form, plan)


def _commit(request, form, plan: Plan):
    if form.cleaned_data["digest"] != plan.text_digest:
        messages.error(
            request,
            "The text changed since the preview: nothing was imported. Check "
            "the new preview below, then import.",
        )
        return _render(request, form, plan, status=409)
    if form.cleaned_data["signature"] != plan.signature:
        messages.error(
            request,
            "Sources changed since the preview (some may have been imported "
            "meanwhile): nothing was imported. Check the new preview below.",
        )
        return _render(request, form, plan, status=409)
    if not plan.importable:
        return _render(request, form, plan, status=400)
    sources = plan.new_sources
    summary = form.cleaned_data["summary"] or f"Import {len(sources)} sources"
    try:
        sources_import(sources=sources, user=request.user, summary=summary)
    except IntegrityError:
        messages.error(
            request,
            "Another source took one of these keys, DOIs or arXiv ids while "
            "importing: nothing was imported. Check the new preview below.",
        )
        return _render(
            request, form, plan_import(form.cleaned_data["bibtex"]), status=409
        )
    messages.success(
        request,
        f"Imported {len(sources)} source{'s' if len(sources) != 1 else ''} as "
        "one revision.",
    )
    return redirect("sources:source_index")


def _render(request, form, plan: Plan | None = None, *, status=200):
    if plan is not None:
        form.data = form.data.copy()
        form.data["digest"] = plan.text_digest
        form.data["signature"] = plan.signature
    return render(
        request,
        "sources/source_import.html",
        {
            "form": form,
            "plan": plan,
            "Outcome": Outcome,
            "counts": {o.value: plan.count(o) for o in Outcome} if plan else {},
            "max_characters": MAX_CHARACTERS,
            "max_entries": MAX_ENTRIES,
        },
        status=status,
    )


# -- export ----------------------------------------------------------------------


def _bibtex_lines(sources: Iterable[Source]) -> Iterator[str]:
    for source in sources:
        yield to_bibtex(source) + "\n"


def _csl_lines(sources: Iterable[Source]) -> Iterator[str]:
    yield "["
    first = True
    for source in sources:
        yield ("\n" if first else ",\n") + json.dumps(csl_item(source))
        first = False
    yield "\n]\n"


FORMATS: dict[str, tuple[str, str, Callable]] = {
    "bibtex": (BIBTEX_TYPE, "bib", _bibtex_lines),
    "csl": (CSL_TYPE, "json", _csl_lines),
}


def _download(sources: Iterable[Source], *, fmt: str, name: str):
    content_type, extension, lines = FORMATS[fmt]
    response = StreamingHttpResponse(lines(sources), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)[:100]


def source_export(request, key, fmt):
    source = get_object_or_404(Source, key=key)
    return _download([source], fmt=fmt, name=_safe_name(source.key))


def _in_batches(queryset, size: int) -> Iterator:
    """Every row of ``queryset`` in primary key order, ``size`` rows a query
    (keyset pagination: each query reads the index from where the last ended)."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        yield from batch
        if len(batch) < size:
            return
        last = batch[-1].pk


def sources_export(request, fmt):
    """Every source, streamed a batch at a time: memory stays bounded however
    many there are."""
    sources = _in_batches(Source.objects.all(), EXPORT_BATCH)
    return _download(sources, fmt=fmt, name="lineage-sources")


def page_references_export(request, section, slug, fmt):
    """The sources a page cites, in the order of its references."""
    page_type = registry.page_type_for_section(section)
    page = get_object_or_404(page_type.model.objects.published(), slug=slug)
    # A page's citations are bounded by its text (LINEAGE_MAX_BODY_CHARS).
    citations = Citation.objects.filter(page=page).select_related("source")
    return _download(
        (c.source for c in citations.order_by("position", "pk")),
        fmt=fmt,
        name=f"{page.slug}-references",
    )
