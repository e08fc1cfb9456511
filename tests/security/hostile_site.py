"""A site whose every user-writable field holds script-injection payloads.

Built through the site's own write paths, as people would: a moderator creates
pages of every registered kind and sources through the web forms, edits them
(filling every row group), reverts, deletes and hides revisions with a reason;
a contributor proposes edits, new pages and sources; the moderator approves
one with a note and rejects others with a reason.  Which field gets what is
decided by walking the forms (every text field of every kind's form and its
row forms), not listed by hand: a form field of a type the filler does not
know fails with the field's name.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory
from tests.forms import form_data
from tests.security.payloads import PAYLOADS, Payload
from tests.wiki.test_urls import _forms
from wiki import registry
from wiki.editing import Editor
from wiki.forms import MarkdownFormField, PageTitleField, RowChoiceField
from wiki.history import page_history
from wiki.limits import proposal_limits_set
from wiki.models import Comment, Page, Proposal
from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles
from wiki.text import BlockFormField, LineFormField, TitleFormField, UrlFormField

# Pages of each kind: each single-line field of a kind gets its share of the
# payloads on each of them (a line holds a few), Markdown fields all of them.
PAGES_PER_KIND = 3
SOURCES = 3
# A marker that names a payload wherever its text shows.
MARKER = re.compile(r"(?:alert|msgbox)\((\d+)\)|__xss=(\d+)|\bx(\d+)\b")
MARKER_SQL = r"alert\(|__xss=|msgbox\("
NOT_TYPED = (forms.BooleanField, forms.IntegerField, forms.ChoiceField)


def one_line(text: str) -> str:
    return " ".join(text.split())


def chunks(limit: int, count: int, payloads=PAYLOADS) -> list[list[Payload]]:
    """``payloads`` shared out over ``count`` values of at most ``limit``
    characters each; what fits nowhere is left out."""
    bins: list[list[Payload]] = [[] for _ in range(count)]
    for index, payload in enumerate(payloads):
        for offset in range(count):
            group = bins[(index + offset) % count]
            if len(" ".join(one_line(p.text) for p in [*group, payload])) <= limit:
                group.append(payload)
                break
    return bins


def url_payload(payload: Payload) -> str:
    """The payload in a web address that URL fields accept."""
    return "https://upload.wikimedia.org/a.png?" + re.sub(
        r"\s", "/", payload.text.replace("\x00", "")
    )


def markdown_document(titles=(), keys=()) -> str:
    """Every payload in every Markdown context, with links to ``titles`` and
    citations of ``keys`` (pages and sources whose own fields are hostile)."""
    parts = ["Hostile text.", "## Raw"]
    parts += [p.text for p in PAYLOADS]
    for p in PAYLOADS:
        line, bare = one_line(p.text), p.text.replace(" ", "").replace("\n", "")
        cell = line.replace("|", "\\|")
        parts += [
            f"## H{p.number} {line}",
            f"{line} *{line}* [{line}](https://example.org/{p.number}) "
            f'[l{p.number}]({bare}) [t{p.number}](https://example.org/ "{line}") '
            f"![{line}](https://example.org/{p.number}.png) ![i{p.number}]({bare}) "
            f"[ref{p.number}][r{p.number}] <{bare}> [[{line}]] [[Hostile|{line}]] "
            f"[@{line}] [@k{p.number}, {line}] `{line}`",
            f"[r{p.number}]: {bare}",
            f"| {cell} | `{cell}` |\n| --- | --- |\n| c{p.number} | {cell} |",
            f"```\n{p.text}\n```\n\n> {line}\n\n- {line}",
        ]
    parts += [f"[[{title}]] [[{title}|{title}]]" for title in titles]
    parts += [f"[@{key}] [@{key}, {one_line(PAYLOADS[0].text)}]" for key in keys]
    return "\n\n".join(parts) + "\n"


@dataclass
class HostileSite:
    moderator: object = None
    contributor: object = None
    admin: object = None
    pages: dict[str, list[str]] = field(default_factory=dict)  # kind -> urls
    titles: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    proposals: list[int] = field(default_factory=list)
    pending: int = 0  # a proposal left pending, amended once
    hidden: tuple[str, int] = ("", 0)  # (page url, revision) with a summary hidden
    filled: set[str] = field(default_factory=set)  # "Form.field" names filled
    editing: str = ""  # the title of the page being edited (not its own row)
    comment: int = 0  # a comment on a proposal, by the contributor


class Filler:
    """Fills a form's text fields with payloads, by the field's type."""

    def __init__(self, site: HostileSite, index: int, document: str):
        self.site, self.index, self.document = site, index, document

    def value(self, owner: str, name: str, bound: forms.Field, seed: str) -> str | None:
        """What to type in ``bound`` (None: leave what the form shows)."""
        label = f"{owner}.{name}"
        if bound.widget.is_hidden or isinstance(bound, NOT_TYPED):
            return None
        if isinstance(bound, PageTitleField):
            model_name = bound.model._meta.model_name
            titles = [
                t
                for k, t in self.site.titles
                if (k == model_name or model_name == "page") and t != self.site.editing
            ]
            value = titles[self.index % len(titles)] if titles else None
            if value is None:
                return None
        elif isinstance(bound, RowChoiceField):  # a source by its key
            value = self.site.keys[self.index % len(self.site.keys)]
        elif name in ("slug", "key") or label in VALIDATED_FORM_FIELDS:
            return None
        elif isinstance(bound, MarkdownFormField):
            value = self.document if self.index == 0 else self.line(seed, 10**6)
        elif isinstance(bound, UrlFormField):
            payload = PAYLOADS[(self.index * 7 + len(name)) % len(PAYLOADS)]
            value = url_payload(payload)
            if value != bound.clean(value):  # pragma: no cover
                raise AssertionError(f"{label}: {value!r} is refused")
        elif isinstance(bound, TitleFormField):
            value = self.line(seed, bound.max_length or 255)
        elif isinstance(bound, LineFormField | BlockFormField):
            value = self.line(seed, bound.max_length or 10**6)
        else:
            raise AssertionError(
                f"field {label} ({type(bound).__name__}) has no XSS coverage: "
                "teach tests/security/hostile_site.py's Filler to fill it"
            )
        self.site.filled.add(label)
        return value

    def line(self, seed: str, limit: int) -> str:
        if limit >= 10**6:
            group = PAYLOADS
        else:
            group = chunks(limit - len(seed) - 1, PAGES_PER_KIND)[
                self.index % PAGES_PER_KIND
            ]
        return one_line(" ".join([seed, *(p.text for p in group)]))[:limit]


# Form fields typed by users whose validators refuse markup outright.
VALIDATED_FORM_FIELDS = {
    "SourceForm.doi": "a DOI: 10.<digits>/<no spaces>",
    "SourceForm.arxiv_id": "an arXiv identifier: digits and dots",
    "WorkForm.doi": "a DOI: 10.<digits>/<no spaces>",
    "WorkForm.arxiv_id": "an arXiv identifier: digits and dots",
    "PersonForm.orcid": "an ORCID iD: digits and hyphens, with its checksum",
    "PersonForm.wikidata": "a Wikidata item: Q and digits",
    "OrganizationForm.wikidata": "a Wikidata item: Q and digits",
    "OrganizationForm.ror": "a ROR id: base-32 characters, with its checksum",
}


def _fill_form(data: dict, form, prefix: str, filler: Filler, seed: str) -> None:
    owner = type(form).__name__
    for name, bound in form.fields.items():
        key = f"{prefix}-{name}" if prefix else name
        value = filler.value(owner, name, bound, seed)
        if value is not None:
            data[key] = value
        elif bound.required and not data.get(key):  # a choice the form needs
            if isinstance(bound, forms.ChoiceField):
                data[key] = next(str(v) for v, _ in bound.choices if v)
            elif isinstance(bound, forms.IntegerField):
                data[key] = "2020"


def _fill_editor(data: dict, kind: str, filler: Filler, seed: str, rows: bool) -> None:
    editor = Editor(kind)
    _fill_form(data, editor.form, "", filler, seed)
    if not rows:
        return
    for formset in editor.formsets:
        total = int(data[f"{formset.prefix}-TOTAL_FORMS"])
        wanted = total + 2
        for index in range(total, wanted):
            form = formset.form(prefix=f"{formset.prefix}-{index}")
            row_filler = Filler(
                filler.site, (filler.index + index) % PAGES_PER_KIND, filler.document
            )
            _fill_form(data, form, f"{formset.prefix}-{index}", row_filler, f"r{index}")
            data.update(
                {
                    f"{formset.prefix}-{index}-{n}": ""
                    for n in form.fields
                    if f"{formset.prefix}-{index}-{n}" not in data
                    and not isinstance(form.fields[n], forms.BooleanField)
                }
            )
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(wanted)


def _post_ok(client, url: str, data: dict, expect=(302,)) -> object:
    response = client.post(url, data)
    if response.status_code not in expect:
        errors = re.findall(
            r'class="[^"]*error[^"]*"[^>]*>(.*?)</', response.content.decode(), re.S
        )
        raise AssertionError(
            f"POST {url} answered {response.status_code}: {errors[:8]}"
        )
    return response


def _form_on(client, url: str, action_end: str) -> tuple[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, (
        url,
        response.status_code,
        response.get("Location"),
    )
    for action, data in _forms(url, response.content.decode()):
        if urlsplit(action).path.endswith(action_end):
            return action, dict(data)
    raise AssertionError(
        f"no form posting to …{action_end} on {url}: "
        f"{[a for a, _ in _forms(url, response.content.decode())]}"
    )


def build(client) -> HostileSite:
    ensure_roles()
    site = HostileSite()
    site.moderator = UserFactory(username="hostile-mod")
    site.moderator.groups.add(Group.objects.get(name=MODERATORS))
    site.contributor = UserFactory(username="hostile-contributor")
    site.contributor.groups.add(Group.objects.get(name=CONTRIBUTORS))
    # More proposals than a new account may file in an hour (wiki/limits.py):
    # a moderator lifts the limits, as for a trusted contributor.
    proposal_limits_set(user=site.contributor, lifted=True, by=site.moderator)
    site.admin = UserFactory(username="hostile-admin", is_staff=True, is_superuser=True)
    site.titles = []  # (model name, title)

    client.force_login(site.moderator)
    # Sources first, so that pages cite them.
    for index in range(SOURCES):
        url = reverse("sources:source_create")
        data = form_data(client.get(url).content.decode(), "edit-form")
        data["key"] = f"hostile{index}"
        filler = Filler(site, index, "")
        _fill_form(data, registry.kind("source").form(), "", filler, f"S{index}")
        data["work"] = ""
        data["edit-summary"] = filler.line(f"s{index}", 255)
        _post_ok(client, url, data)
        site.keys.append(f"hostile{index}")

    document = markdown_document(keys=site.keys)
    page_types = registry.page_types()
    for page_type in page_types:
        site.pages[page_type.kind] = []
        for index in range(PAGES_PER_KIND):
            url = reverse(
                "moderation:page_create", kwargs={"section": page_type.section}
            )
            data = form_data(client.get(url).content.decode(), "edit-form")
            filler = Filler(site, index, document)
            seed = f"H{page_type.kind[:3]}{index}"
            _fill_editor(data, page_type.kind, filler, seed, rows=False)
            data["slug"] = f"hostile-{page_type.kind}-{index}"
            data["edit-summary"] = filler.line(f"c{index}", 255)
            response = _post_ok(client, url, data)
            site.pages[page_type.kind].append(response.url)
            site.titles.append((page_type.model._meta.model_name, data["title"]))

    # Every row group filled, in an edit of each kind's first page.
    for page_type in page_types:
        page_url = site.pages[page_type.kind][0]
        url = f"{page_url}edit/"
        data = form_data(client.get(url).content.decode(), "edit-form")
        filler = Filler(site, 1, document)
        title = site.editing = data["title"]  # kept: rows name the page by it
        _fill_editor(data, page_type.kind, filler, f"E{page_type.kind[:3]}", rows=True)
        data["title"] = title
        data["edit-summary"] = filler.line("e", 255)
        _post_ok(client, url, data)

    # A contributor proposes an edit of each kind's second page, a new page of
    # each kind and a new source.
    client.force_login(site.contributor)
    for index, page_type in enumerate(page_types):
        url = f"{site.pages[page_type.kind][1]}edit/"
        data = form_data(client.get(url).content.decode(), "edit-form")
        filler = Filler(site, index % PAGES_PER_KIND, document)
        data["body"] = document
        data["edit-summary"] = filler.line(f"p{index}", 255)
        _post_ok(client, url, data)
        url = reverse("moderation:page_create", kwargs={"section": page_type.section})
        data = form_data(client.get(url).content.decode(), "edit-form")
        filler = Filler(site, (index + 2) % PAGES_PER_KIND, document)
        _fill_editor(data, page_type.kind, filler, f"N{page_type.kind[:3]}", rows=True)
        data["slug"] = f"hostile-new-{page_type.kind}"
        data["edit-summary"] = filler.line(f"n{index}", 255)
        _post_ok(client, url, data)
    url = reverse("sources:source_create")
    data = form_data(client.get(url).content.decode(), "edit-form")
    filler = Filler(site, 4, "")
    _fill_form(data, registry.kind("source").form(), "", filler, "SP")
    data.update(
        key="hostile-proposed", work="", **{"edit-summary": filler.line("sp", 255)}
    )
    _post_ok(client, url, data)

    # The moderator rejects the edits with a reason, approves the new pages
    # (and their rows) with a note.
    client.force_login(site.moderator)
    site.proposals = list(
        Proposal.objects.filter(status=Proposal.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for number, pk in enumerate(site.proposals):
        review = reverse("moderation:review_detail", kwargs={"pk": pk})
        filler = Filler(site, number % PAGES_PER_KIND, "")
        if number % 2 == 0:  # the edits and the source: rejected
            action, data = _form_on(client, review, "/reject/")
            data["reason"] = filler.line(f"why{number}", 10**5)
        else:
            action, data = _form_on(client, review, "/approve/")
            data["note"] = filler.line(f"ok{number}", 255)
        _post_ok(client, action, data)

    # History: a revert with a summary, a deletion with a reason.
    for number, page_type in enumerate(page_types):
        page_url = site.pages[page_type.kind][0]
        page = Page.objects.get(kind=page_type.kind, slug=page_url.split("/")[-2])
        first = page_history(page).last().revision_id
        action, data = _form_on(
            client, f"{page_url}revisions/{first}/revert/", "/revert/"
        )
        data["summary"] = Filler(site, number, "").line("rv", 500)
        _post_ok(client, action, data)
        doomed = site.pages[page_type.kind][-1]
        action, data = _form_on(client, f"{doomed}delete/", "/delete/")
        data["reason"] = Filler(site, number, "").line("del", 500)
        _post_ok(client, action, data)

    # A moderator hides a revision's summary, with a reason (the visibility log).
    page_url = site.pages["person"][0]
    page = Page.objects.get(kind="person", slug=page_url.split("/")[-2])
    first = page_history(page).last().revision_id
    url = f"{page_url}revisions/visibility/?ids={first}"
    action, data = _form_on(client, url, "/revisions/visibility/")
    data.update(summary="on", reason=Filler(site, 2, "").line("hide", 500))
    _post_ok(client, action, data)
    site.hidden = (page_url, first)

    # An administrator purges a deleted page, with a reason (its purge record).
    client.force_login(site.admin)
    doomed = site.pages["person"][-1]
    page = Page.objects.get(kind="person", slug=doomed.split("/")[-2])
    url = f"/admin/people/person/{page.pk}/purge/"
    action, data = _form_on(client, url, "/purge/")
    data["reason"] = Filler(site, 1, "").line("purge", 10**5)
    _post_ok(client, action, data)
    site.pages["person"].remove(doomed)

    # A contributor proposes an edit, then amends it (title and summary too):
    # it stays pending, in the review queue.
    client.force_login(site.contributor)
    url = f"{site.pages['person'][1]}edit/"
    data = form_data(client.get(url).content.decode(), "edit-form")
    data["body"] = document
    data["edit-summary"] = Filler(site, 0, "").line("pend", 255)
    _post_ok(client, url, data)
    site.pending = Proposal.objects.filter(status=Proposal.Status.PENDING).get().pk
    url = reverse("moderation:proposal_amend", kwargs={"pk": site.pending})
    data = form_data(client.get(url).content.decode(), "edit-form")
    filler = Filler(site, 2, document)
    data["title"] = filler.line("Amended", 255)
    data["edit-summary"] = filler.line("amend", 255)
    _post_ok(client, url, data)
    _discuss(client, site)
    return site


def _discuss(client, site: HostileSite) -> None:
    """Comments on two proposals (mentioning the moderator), topics and replies
    on a talk page holding the Markdown document, an edit, a hidden reply."""
    text = "\n\n".join(p.text for p in PAYLOADS)
    client.force_login(site.contributor)
    for pk in (site.proposals[0], site.pending):
        url = reverse("discussion:proposal_comment", kwargs={"pk": pk})
        _post_ok(client, url, {"text": f"@hostile-mod {text}", "token": f"h{pk}"})
    site.comment = Comment.objects.latest("pk").pk
    talk = f"{site.pages['person'][0]}talk/"
    client.force_login(site.moderator)
    parts, part = [], ""
    for paragraph in markdown_document(keys=site.keys).split("\n\n"):
        if part and len(part) + len(paragraph) > 9000:
            parts.append(part)
            part = ""
        part = f"{part}\n\n{paragraph}" if part else paragraph[:9000]
    parts.append(part)
    for number, part in enumerate(parts):
        subject = Filler(site, number % PAGES_PER_KIND, "").line(f"t{number}", 200)
        data = {"text": part, "subject": subject, "token": f"t{number}"}
        _post_ok(client, talk, data)
    topic = Comment.objects.filter(parent=None, page__isnull=False).earliest("pk")
    client.force_login(site.contributor)
    reply = {"text": text, "parent": str(topic.pk), "token": "reply"}
    _post_ok(client, talk, reply)
    reply = Comment.objects.latest("pk")
    edit = reverse("discussion:comment_edit", kwargs={"pk": reply.pk})
    _post_ok(client, edit, {"text": f"Edited. {text}"})
    client.force_login(site.moderator)
    hide = reverse("discussion:comment_visibility", kwargs={"pk": reply.pk})
    reason = Filler(site, 3, "").line("hidden", 500)
    _post_ok(client, hide, {"hide": "1", "reason": reason})
