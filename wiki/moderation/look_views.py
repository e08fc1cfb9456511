""" "Preview" and "Show changes" on the edit form: the edit shown without
saving it."""

import re
import uuid

from django.contrib import messages
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from wiki import moderation, registry
from wiki.diff import (
    DIFF_CONTEXT,
    Snapshot,
    diff_snapshots,
    snapshot_from_page,
)
from wiki.editing import Editor, data_from_post
from wiki.forms import EditMetaForm
from wiki.moderation.edit_render import (
    render_edit,
)
from wiki.views import section_index_url

# The form's buttons that show the edit without saving it: the whole page as
# it would read, or what it changes on the page as it is now.
LOOKS = {"edit-preview": "preview", "edit-show-changes": "changes"}


def edit_look(request, *, kind, page, proposal, look):
    """ "Preview" and "Show changes": the form as typed, with the page as it
    would read or its diff against the current page above it.  Nothing is
    saved; the form's own checks apply, so errors show up here too."""
    editor = Editor(kind, page=page, data=request.POST)
    meta = _meta_as_typed(request.POST)
    args = {"request": request, "kind": kind, "page": page, "proposal": proposal}
    if not editor.is_valid():
        return render_edit(**args, editor=editor, meta=meta, status=400)
    data = data_from_post(request.POST)
    live = page.as_own_kind() if page is not None else None
    if live is not None:
        # Rows are matched to the page's rows now, as approval would match them.
        data = moderation.proposal_as_submitted(
            Editor(kind, page=live), current=moderation.current_data(live), theirs=data
        )
    applied = moderation.apply_preview(
        kind=kind,
        page=live,
        data=data,
        inspect=(lambda changed: _page_as_read(request, changed))
        if LOOKS[look] == "preview"
        else None,
    )
    if not applied.valid:
        messages.error(
            request, applied.error or "The change does not fit the page as it is now."
        )
        return render_edit(**args, editor=editor, meta=meta, status=400)
    shown = {"look": LOOKS[look]}
    if LOOKS[look] == "preview":
        shown["preview_html"] = applied.inspected
    else:
        before = snapshot_from_page(live) if live is not None else Snapshot()
        changes = diff_snapshots(before, applied.snapshot, context=DIFF_CONTEXT)
        shown["changes"] = in_form_order(editor, changes)
    return render_edit(**args, editor=editor, meta=meta, shown=shown)


def in_form_order(editor: Editor, changes: list) -> list:
    """``changes`` in the order the form shows their fields."""
    order = [group.snapshot_field for group in editor.groups()]
    return sorted(
        changes,
        key=lambda c: order.index(c.name) if c.name in order else len(order),
    )


def _meta_as_typed(post) -> EditMetaForm:
    """The edit summary and the rest as typed, shown without errors: a preview
    does not need a summary yet."""
    typed = EditMetaForm(post)
    typed.is_valid()
    values = typed.cleaned_data
    return EditMetaForm(
        initial={
            "summary": post.get(typed.add_prefix("summary"), "")[:255],
            "minor": values.get("minor", False),
            "base_revision": values.get("base_revision"),
            "proposal_version": values.get("proposal_version"),
            "token": values.get("token") or uuid.uuid4(),
        }
    )


_ARTICLE = re.compile(r"<article\b.*</article>", re.DOTALL)


def _page_as_read(request, changed) -> str:
    """The article of ``changed`` as its page shows it to readers, rendered
    with the page's own template (infobox, navigation, references...)."""
    page_type = registry.page_type(changed.kind)
    page = page_type.model.objects.for_page_view().get(pk=changed.pk)
    meta = type(page)._meta
    context = {
        "page": page,
        "page_type": page_type,
        "section_url": section_index_url(page_type),
        "navigation": registry.navigation_for(page),
        "structured_data": "",
        **registry.page_context(page),
    }
    html = render_to_string(
        [f"{meta.app_label}/{meta.model_name}_detail.html", "wiki/page_detail.html"],
        context,
        request=request,
    )
    match = _ARTICLE.search(html)
    # Our own template's output, its Markdown sanitised when it was rendered.
    return mark_safe(match.group(0)) if match else ""
