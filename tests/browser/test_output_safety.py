"""No payload runs in the browser: the browser half of the output-safety test.

The hostile site of tests/security/hostile_site.py (every payload in every
field and Markdown context) is built once; one view of each type is loaded in
Chromium, as the role that sees the most of it, with every payload present.
Each load is watched three ways: a JavaScript dialog (every payload that runs
calls alert(n) or msgbox(n), or sets ``window.__xss = n``), the window flag,
and the page's Content-Security-Policy violations (a ``securitypolicyviolation``
listener added before the page's own scripts, and Chromium's console
messages).  The edit form is loaded too, a key typed in its body so that the
live Markdown preview renders the hostile text again.

A violation of a directive that guards script (script-src and its -elem and
-attr forms, object-src, base-uri, frame-src, child-src, worker-src) fails the
test: it means markup that would run had the policy been weaker.  Other
violations (an image or a style from elsewhere) are counted and printed, not
failed: the policy refusing an image is the policy working, and the raw-HTML
test (tests/security/test_output_safety.py) already fails any script URL in
an image.  Requests to other hosts are aborted (the test stays offline).
"""

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from sources.models import Source
from tests.security import hostile_site
from tests.security.payloads import PAYLOADS
from wiki import registry
from wiki.history import page_history
from wiki.models import Page, PurgeRecord

SCRIPT_DIRECTIVES = {
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "object-src",
    "base-uri",
    "frame-src",
    "child-src",
    "worker-src",
}
# Runs before any script of the page: CSP violations reach the window (the
# event bubbles from the element or document), kept in an array read after load.
WATCH_CSP = """
window.__cspViolations = [];
window.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    effective: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
  });
});
"""
# After load: let queued tasks (violation reports, autofocus) run, then read.
READ_AFTER_LOAD = """
() => new Promise((resolve) => setTimeout(() => resolve({
  flag: window.__xss === undefined ? null : String(window.__xss),
  violations: window.__cspViolations || [],
}), 50))
"""
# Chromium writes 'directive: "object-src 'none'"' or "directive 'script-src ...'".
CONSOLE_DIRECTIVE = re.compile(r"Content Security Policy directive:? [\"']([\w-]+)")


@dataclass
class Findings:
    """What the watched pages showed: dialogs, flags, CSP violations."""

    dialogs: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    def script_violations(self) -> list[str]:
        found = [
            f"{v['where']}: {v['directive']} {v['blocked']!r} {v.get('sample', '')!r}"
            for v in self.violations
            if {v["directive"], v["effective"]} & SCRIPT_DIRECTIVES
        ]
        found += [
            message
            for message in self.console
            if (match := CONSOLE_DIRECTIVE.search(message))
            and match.group(1) in SCRIPT_DIRECTIVES
        ]
        return found

    def by_directive(self) -> Counter:
        return Counter(v["effective"] or v["directive"] for v in self.violations)


def watch(context, findings: Findings, own_origin: str | None = None) -> None:
    """Watch every page of ``context`` for CSP violations; abort requests to
    other origins than ``own_origin``."""
    context.add_init_script(WATCH_CSP)
    if own_origin is not None:

        def abort(route):
            findings.blocked_requests.append(route.request.url)
            route.abort()

        context.route(
            lambda url: not url.startswith((own_origin, "data:", "blob:")), abort
        )


def open_page(context, findings: Findings, where: str):
    page = context.new_page()

    def on_dialog(dialog):
        findings.dialogs.append(f"{where}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            findings.console.append(f"{where}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def collect(page, findings: Findings, where: str) -> str:
    """Read the flag and the CSP violations of the loaded ``page``; return
    its document as it stands (for counting the payloads it shows)."""
    state = page.evaluate(READ_AFTER_LOAD)
    if state["flag"] is not None:
        findings.flags.append(f"{where}: window.__xss = {state['flag']}")
    findings.violations += [{**v, "where": where} for v in state["violations"]]
    return page.content()


def markers(text: str) -> set[int]:
    return {
        int(next(g for g in match.groups() if g))
        for match in hostile_site.MARKER.finditer(text)
    } & {p.number for p in PAYLOADS}


def views_by_type(site) -> list[tuple[str, str]]:
    """(who, url): one view of each type the site has, as the role that sees
    the most of it."""
    views = [("anonymous", "/")]
    for page_type in registry.page_types():
        url = site.pages[page_type.kind][0]
        views += [("anonymous", url), ("moderator", url)]
        views.append(("anonymous", page_type.index_url))
        for nav_list in registry.nav_lists(page_type.kind)[:1]:
            views.append(("anonymous", f"{url}{nav_list.key}/"))
    person_url = site.pages["person"][0]
    person = Page.objects.get(kind="person", slug=person_url.split("/")[-2])
    revisions = list(page_history(person).values_list("revision_id", flat=True))
    diff = urlencode({"from": revisions[-1], "to": revisions[0]})
    views += [
        ("moderator", f"{person_url}history/"),
        ("moderator", f"{person_url}diff/?{diff}"),
        ("moderator", f"{person_url}revisions/{revisions[-1]}/"),
        ("moderator", f"{person_url}revisions/{revisions[-1]}/revert/"),
        ("moderator", f"{person_url}cite/"),
        ("moderator", f"{site.hidden[0]}revisions/visibility/?ids={site.hidden[1]}"),
        ("moderator", "/review/"),
        ("moderator", f"/review/{site.pending}/"),  # amended
        ("moderator", f"/review/{site.proposals[0]}/"),  # rejected
        ("moderator", f"/review/{site.proposals[1]}/"),  # approved
        ("contributor", f"/proposals/{site.pending}/"),
        ("contributor", f"/proposals/{site.proposals[0]}/"),
        ("anonymous", "/changes/"),
        ("moderator", "/changes/"),
        ("moderator", "/users/hostile-contributor/"),
        ("anonymous", "/search/?" + urlencode({"q": "alert"})),
        ("anonymous", "/wanted/"),
        ("moderator", "/deleted/"),
        ("moderator", "/log/visibility/"),
        ("anonymous", f"/sources/{site.keys[0]}/"),
        ("moderator", f"/sources/{site.keys[0]}/history/"),
        ("anonymous", "/sources/"),
    ]
    person_admin = f"/admin/people/person/{person.pk}/"
    source = Source.objects.get(key=site.keys[0])
    views += [
        ("admin", f"{person_admin}change/"),
        ("admin", f"{person_admin}history/"),
        ("admin", f"/admin/sources/source/?q={site.keys[0]}"),
        ("admin", f"/admin/sources/source/{source.pk}/change/"),
        ("admin", f"/admin/sources/source/{source.pk}/history/"),
    ]
    purge = PurgeRecord.objects.get()
    views.append(("admin", f"/admin/wiki/purgerecord/{purge.pk}/change/"))
    return views


def logged_in_context(chromium, live_server, user):
    context = chromium.new_context(base_url=live_server.url)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_server.url,
                }
            ]
        )
    return context


def test_no_payload_runs_in_the_browser_on_any_type_of_view(
    chromium, live_server, transactional_db
):
    started = time.monotonic()
    site = hostile_site.build(Client())
    built = time.monotonic() - started

    findings = Findings()
    users = {
        "anonymous": None,
        "contributor": site.contributor,
        "moderator": site.moderator,
        "admin": site.admin,
    }
    contexts = {}
    for who, user in users.items():
        contexts[who] = logged_in_context(chromium, live_server, user)
        watch(contexts[who], findings, own_origin=live_server.url)

    views = views_by_type(site)
    shown: dict[str, int] = {}  # view -> payloads present in it
    problems = []
    try:
        for who, url in views:
            where = f"{url} ({who})"
            page = open_page(contexts[who], findings, where)
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{where}: {response and response.status}")
            shown[where] = len(markers(collect(page, findings, where)))
            page.close()

        # The edit form, its fields holding the hostile text, and its live
        # preview rendered again after a key typed in the body.
        where = f"{site.pages['person'][0]}edit/ (moderator, live preview)"
        page = open_page(contexts["moderator"], findings, where)
        page.goto(f"{site.pages['person'][0]}edit/")
        body = page.locator(".field-body textarea")
        body.click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" zqxpreview")
        preview = page.locator(".field-body .markdownx-preview")
        expect(preview).to_contain_text("zqxpreview")
        expect(preview).to_contain_text("Hostile text.")
        shown[where] = len(markers(collect(page, findings, where)))
        page.close()

        # A decision on the version the moderator opened, after the proposal
        # was amended: the review page again (409), with what changed since.
        where = f"/review/{site.pending}/approve/ (moderator, stale decision)"
        page = open_page(contexts["moderator"], findings, where)
        page.goto(f"/review/{site.pending}/")
        page.locator("#approve-form [name=seen_version]").evaluate("e => e.value = '1'")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Approve and publish").click()
        page.wait_for_load_state()
        if answer.value.status != 409:
            problems.append(f"{where}: {answer.value.status}")
        shown[where] = len(markers(collect(page, findings, where)))
        page.close()
    finally:
        for context in contexts.values():
            context.close()

    directives = dict(findings.by_directive())
    loaded, cells = len(shown), sum(shown.values())
    hosts = [urlsplit(url).netloc for url in findings.blocked_requests]
    print("\n".join(f"{count:3} {where}" for where, count in shown.items()))
    print(
        f"\nXSS browser: {loaded} views loaded (one per type), {cells} browser "
        f"cells (payloads present x views loaded), {len(findings.dialogs)} "
        f"dialogs, {len(findings.flags)} flags, CSP violations by directive "
        f"{directives or '{}'} ({len(findings.console)} console CSP messages), "
        f"requests to other hosts aborted: {dict(Counter(hosts)) or '{}'}; "
        f"site built in {built:.1f} s, loaded in "
        f"{time.monotonic() - started - built:.1f} s"
    )
    assert problems == []
    assert [where for where, count in shown.items() if not count] == []
    assert findings.dialogs == []
    assert findings.flags == []
    assert findings.script_violations() == []
    assert loaded >= 50 and cells > 2_000


def test_the_browser_check_finds_a_dialog_a_flag_and_script_csp_violations(
    chromium,
):
    """The collector above reports what it must (it can fail): a page that
    runs a payload (set_content has no policy), and a page served with a
    policy like the site's that refuses an inline script, a handler and a
    plugin (served by a route: set_content's document.open() would drop the
    listener the collector adds before the page's scripts)."""
    findings = Findings()
    context = chromium.new_context()
    watch(context, findings)
    try:
        page = open_page(context, findings, "unsafe")
        page.set_content("<p>x</p><script>alert(1); window.__xss = 1</script>")
        collect(page, findings, "unsafe")
        page.close()

        page = open_page(context, findings, "refused")
        page.route(
            "http://selftest.invalid/**",
            lambda route: route.fulfill(
                body="<img src=x onerror=alert(2)><object data=/x></object>"
                "<script>window.__xss = 2</script>",
                content_type="text/html",
                headers={
                    "Content-Security-Policy": "default-src 'self'; "
                    "script-src 'self'; object-src 'none'; base-uri 'none'"
                },
            ),
        )
        page.goto("http://selftest.invalid/")
        collect(page, findings, "refused")
    finally:
        context.close()

    assert findings.dialogs == ["unsafe: alert '1'"]
    assert findings.flags == ["unsafe: window.__xss = 1"]
    assert findings.by_directive() == {
        "script-src-elem": 1,
        "script-src-attr": 1,
        "object-src": 1,
    }
    # Each violation is found twice: by the listener and in the console.
    assert len(findings.script_violations()) == 6
