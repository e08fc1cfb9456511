"""``[@key]`` citations in page text: numbered superscripts linked to References."""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from django.urls import reverse

from sources.models import source_create_url
from wiki import registry
from wiki.markdown import Rendered, element

CITATION = r"\[(@[^\[\]]{1,300})\]"
# ``[@?]``: a claim that needs a source, marked for readers and editors.
NEEDED = "@?"
_ITEM = re.compile(r"^@([A-Za-z][\w:.-]{0,99})(?:\s*,\s*(.{1,100}))?$", re.S)


def parse_items(inner: str) -> list[tuple[str, str]] | None:
    """Split "@a, p. 5; @b" into [("a", "p. 5"), ("b", "")], or None if
    malformed.  A "citation needed" among them ("@a; @?") is ("?", "")."""
    items = []
    for part in inner.split(";"):
        if part.strip() == NEEDED:
            items.append(("?", ""))
            continue
        match = _ITEM.match(part.strip())
        if not match:
            return None
        items.append((match.group(1), " ".join((match.group(2) or "").split())))
    return items


def cited_keys(text: str) -> set[str]:
    """The keys ``text`` cites, as written (code spans included)."""
    return {
        key
        for match in re.finditer(CITATION, text)
        for key, _ in parse_items(match.group(1)) or []
        if key != "?"
    }


@dataclass
class CitationState:
    sources: dict = field(default_factory=dict)  # key -> Source
    numbers: dict[str, int] = field(default_factory=dict)  # key -> reference number
    counts: dict[str, int] = field(default_factory=dict)  # key -> times cited
    unknown: list[str] = field(default_factory=list)
    # Keys no source has yet but a pending proposal proposes: key -> its id.
    proposed: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)  # those cited here
    needed: int = 0  # [@?] markers


def _prepare(matches: list[re.Match]) -> CitationState:
    from sources.models import Source, SourceProposal

    keys = set()
    for match in matches:
        keys.update(key for key, _ in parse_items(match.group(1)) or [])
    keys.discard("?")
    sources = {s.key: s for s in Source.objects.filter(key__in=keys)} if keys else {}
    missing = keys - set(sources)
    proposed = SourceProposal.objects.pending_keys(missing) if missing else {}
    return CitationState(sources=sources, proposed=proposed)


def needed_marker() -> etree.Element:
    """The "citation needed" marker ``[@?]`` renders as, linking to what it means."""
    sup = element("sup", class_="cite-needed")
    sup.append(
        element(
            "a",
            "[citation needed]",
            href=reverse("wiki:maintenance") + "#citation-needed",
            title="This claim needs a source. Add one with [@key].",
        )
    )
    return sup


def _render(match: re.Match, state: CitationState, md):
    if match.group(1).strip() == NEEDED:
        state.needed += 1
        return needed_marker()
    items = parse_items(match.group(1))
    if items is None:
        return None  # not a citation; leave the text as written
    wrapper = element("span", class_="cite-group")
    for key, locator in items:
        if key == "?":  # "[@a; @?]": a source, and the claim needs another
            state.needed += 1
            wrapper.append(needed_marker())
            continue
        if key in state.proposed:
            state.pending[key] = state.proposed[key]
            wrapper.append(
                element(
                    "a",
                    f"[source awaiting review: {key}]",
                    href=source_create_url(key),
                    title=f"A source with the citation key “{key}” is proposed "
                    "and waiting for review.",
                )
            )
            continue
        if key not in state.sources:
            if key not in state.unknown:
                state.unknown.append(key)
            marker = element(
                "span",
                f"[unknown source: {key}]",
                class_="cite-unknown",
                title=f"No source has the citation key “{key}”.",
            )
            marker.tail = " "
            wrapper.append(marker)
            wrapper.append(
                element(
                    "a",
                    "create this source",
                    href=source_create_url(key),
                    title=f"Propose a new source with the citation key “{key}”",
                )
            )
            continue
        number = state.numbers.setdefault(key, len(state.numbers) + 1)
        state.counts[key] = state.counts.get(key, 0) + 1
        label = f"[{number}, {locator}]" if locator else f"[{number}]"
        sup = element("sup", class_="cite", id=f"cite-{key}-{state.counts[key]}")
        sup.append(
            element("a", label, href=f"#ref-{key}", title=state.sources[key].title)
        )
        wrapper.append(sup)
    return wrapper


def attach_cited_sources(*, page, rendered: Rendered) -> None:
    """Keep the page's citations in step with its text.

    Sources cited in the text come first, in the order of their numbers; sources
    attached but not cited inline follow, in their existing order.
    """
    from sources.models import Citation

    state: CitationState = rendered.syntax_state.get("citation") or CitationState()
    existing = {c.source_id: c for c in page.citations.all()}
    cited_ids = [state.sources[key].pk for key in state.numbers]
    ordered = cited_ids + [sid for sid in existing if sid not in cited_ids]
    for position, source_id in enumerate(ordered):
        citation = existing.get(source_id)
        if citation is None:
            Citation.objects.create(page=page, source_id=source_id, position=position)
        elif citation.position != position:
            citation.position = position
            citation.save(update_fields=["position"])


def _summarize(state: CitationState) -> dict:
    return {"counts": state.counts, "unknown": state.unknown, "needed": state.needed}


def register() -> None:
    registry.register_inline_syntax(
        registry.InlineSyntax(
            name="citation",
            pattern=CITATION,
            prepare=_prepare,
            render=_render,
            summarize=_summarize,
            html_classes=("cite", "cite-unknown", "cite-group", "cite-needed"),
        )
    )
    registry.register_publish_hook(attach_cited_sources)
