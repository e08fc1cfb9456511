"""Discussing a proposal and a page, in Chromium, by keyboard: a comment that
mentions the moderator, a reply, a talk page topic.  Nothing on the forms under
test is filled or set by script."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from people.models import Person
from tests.browser.test_following import (
    assert_axe_clean,
    at_both_widths,
    log_in,
    open_notifications,
)
from tests.wiki.moderation_helpers import submit
from wiki.models import Comment
from wiki.roles import ensure_demo_accounts

pytestmark = pytest.mark.usefixtures("seeded")

PROFILE = "/people/alec-radford/"


@pytest.fixture
def proposal(seeded):
    ensure_demo_accounts()
    author = get_user_model().objects.get(username="contributor")
    page = Person.objects.get(slug="alec-radford")
    return submit(page, author, summary="A new paragraph", body=page.body + "\n\nMore.")


def test_a_comment_a_reply_and_a_talk_topic_by_keyboard(
    page, second_page, proposal, console_errors, screenshot
):
    # The author asks the moderator a question on the proposal.
    log_in(page, "contributor", "lineage-contributor")
    page.goto(proposal.get_absolute_url())
    page.get_by_label("Comment", exact=True).click()
    page.keyboard.type("Is the **new lede** right, @moderator?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your comment is posted.")
    comment = page.locator(".discussion .comment").first
    expect(comment.locator("strong")).to_have_text("new lede")

    # The moderator is told, and replies from the review page.
    log_in(second_page, "moderator", "lineage-moderator")
    open_notifications(second_page)
    second_page.get_by_role(
        "link", name="a comment on the proposal “Alec Radford”"
    ).click()
    expect(second_page.locator(".discussion")).to_contain_text("Is the new lede right")
    second_page.goto(f"/review/{proposal.pk}/")
    second_page.locator(".comment-reply summary").first.focus()
    second_page.keyboard.press("Enter")
    second_page.keyboard.press("Tab")
    second_page.keyboard.type("Yes; cite the *2019* post, please.")
    second_page.keyboard.press("Tab")
    second_page.keyboard.press("Enter")
    expect(second_page.locator(".messages")).to_contain_text("Your comment is posted.")
    reply = second_page.locator(".comment-replies .comment")
    expect(reply).to_contain_text("Yes; cite the 2019 post, please.")
    assert Comment.objects.get(author__username="moderator").parent is not None
    assert_axe_clean(second_page, "review page with a discussion")

    # The author reads the thread on their view of the proposal.
    page.reload()
    expect(page.locator(".comment-replies")).to_contain_text("cite the 2019 post")
    assert_axe_clean(page, "proposal with a discussion")
    at_both_widths(page, screenshot, "proposal-discussion")

    # A topic on the page's talk page.
    page.goto(PROFILE)
    page.get_by_role("link", name="Talk", exact=True).click()
    page.get_by_label("Subject").click()
    page.keyboard.type("Birth year")
    page.keyboard.press("Tab")
    page.keyboard.type("Which source gives the year?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Birth year")).to_be_visible()
    expect(page.locator(".talk-topic")).to_contain_text("Which source gives the year?")
    assert_axe_clean(page, "talk page")

    # The moderator hides it with a reason; the author reads the reason.
    second_page.goto(page.url.split("#")[0])
    second_page.locator(".comment-hide summary").first.focus()
    second_page.keyboard.press("Enter")
    second_page.keyboard.press("Tab")
    second_page.keyboard.type("Asked on the proposal already")
    second_page.keyboard.press("Enter")
    expect(second_page.locator(".messages")).to_contain_text("The comment is hidden")
    expect(second_page.locator(".comment-hidden-text")).to_contain_text(
        "Which source gives the year?"
    )
    page.reload()
    expect(page.locator(".comment-hidden")).to_have_text(
        "Hidden by a moderator: Asked on the proposal already"
    )
    expect(page.locator(".talk-topic")).not_to_contain_text("Which source")
    assert_axe_clean(page, "talk page with a hidden comment")
    at_both_widths(page, screenshot, "talk-page")
    assert console_errors == []


def test_a_topic_previewed_then_posted_by_keyboard(page, console_errors, screenshot):
    ensure_demo_accounts()
    log_in(page, "contributor", "lineage-contributor")
    page.goto(PROFILE + "talk/")
    page.get_by_label("Subject").click()
    page.keyboard.type("Order of the papers")
    page.keyboard.press("Tab")
    page.keyboard.type("Is *GPT-2* before **CLIP**?")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("- one")
    page.keyboard.press("Tab")  # Post topic
    page.keyboard.press("Tab")  # Preview
    with page.expect_navigation():
        page.keyboard.press("Enter")
    preview = page.locator(".comment-preview")
    expect(preview.locator("em")).to_have_text("GPT-2")
    expect(preview.locator("strong")).to_have_text("CLIP")
    expect(preview.locator("li")).to_have_text("one")
    # The preview has the focus: Tab leads on to the form, filled in.
    expect(preview).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Subject")).to_be_focused()
    expect(page.get_by_label("Subject")).to_have_value("Order of the papers")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Comment")).to_have_value(
        "Is *GPT-2* before **CLIP**?\n\n- one"
    )
    assert Comment.objects.count() == 0
    assert_axe_clean(page, "comment preview")
    at_both_widths(page, screenshot, "comment-preview")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post topic")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Order of the papers")).to_be_visible()
    assert Comment.objects.count() == 1
    assert console_errors == []
