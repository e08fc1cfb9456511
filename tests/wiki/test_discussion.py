"""Discussion: comments on proposals and talk pages (wiki/discussion/)."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.urls import reverse

from tests.factories import UserFactory
from tests.wiki.moderation_helpers import submit
from wiki import cache as wiki_cache
from wiki import discussion, moderation
from wiki.models import Comment, CommentEvent, Notification
from wiki.moderation.seen import seen_now
from wiki.roles import CONTRIBUTORS

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'


@pytest.fixture
def proposal(person, contributor):
    return submit(person, contributor, summary="Carol's edit", body="Carol's body.")


@pytest.fixture
def dave(roles):
    user = UserFactory(username="dave")
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    return user


def comment_url(proposal):
    return reverse("discussion:proposal_comment", args=[proposal.pk])


def talk_url(page):
    return reverse(
        "discussion:talk", kwargs={"section": page.section, "slug": page.slug}
    )


def post(client, url, text, **more):
    return client.post(url, {"text": text, "token": discussion.new_token(), **more})


# -- comments on a proposal -----------------------------------------------------


def test_the_author_comments_and_a_moderator_replies_on_the_review_page(
    client, proposal, contributor, moderator
):
    client.force_login(contributor)
    response = post(client, comment_url(proposal), "Why *this* change?")
    first = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/#comment-{first.pk}"
    client.force_login(moderator)
    post(client, comment_url(proposal), "Because.", parent=str(first.pk))
    reply = Comment.objects.latest("pk")
    assert reply.parent == first
    page = client.get(reverse("moderation:review_detail", args=[proposal.pk]))
    html = page.content.decode()
    assert "Why <em>this</em> change?" in html
    # the reply sits in its thread, after the comment it answers
    thread = html[html.index(f'id="comment-{first.pk}"') :]
    assert 'class="comment-replies"' in thread
    assert thread.index("Because.") > thread.index("Why <em>")


def test_a_reply_to_a_reply_joins_its_thread(proposal, contributor, moderator):
    first = discussion.comment_post(author=contributor, text="A", proposal=proposal)
    reply = discussion.comment_post(
        author=moderator, text="B", proposal=proposal, parent=first
    )
    again = discussion.comment_post(
        author=contributor, text="C", proposal=proposal, parent=reply
    )
    assert again.parent == first


def test_others_cannot_comment_on_or_read_a_proposal(client, proposal, dave):
    client.force_login(dave)
    response = post(client, comment_url(proposal), "Let me in.")
    assert response.status_code == 403
    assert not Comment.objects.exists()
    client.logout()
    response = post(client, comment_url(proposal), "Anonymous.")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_comments_stay_with_the_proposal_after_it_is_approved(
    client, proposal, contributor, moderator
):
    discussion.comment_post(author=contributor, text="Please look.", proposal=proposal)
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=seen_now(proposal)
    )
    client.force_login(contributor)
    response = client.get(proposal.get_absolute_url())
    assert "Please look." in response.content.decode()
    response = post(client, comment_url(proposal), "Thanks!")
    assert response.status_code == 302
    assert proposal.comments.count() == 2


def test_comments_stay_with_the_proposal_after_it_is_withdrawn(
    client, proposal, contributor
):
    discussion.comment_post(
        author=contributor, text="On second thoughts", proposal=proposal
    )
    moderation.proposal_withdraw(proposal=proposal, by=contributor)
    client.force_login(contributor)
    assert (
        "On second thoughts" in client.get(proposal.get_absolute_url()).content.decode()
    )


# -- mentions ------------------------------------------------------------------


def test_a_mention_notifies_exactly_those_who_can_see_the_proposal(
    proposal, contributor, moderator, dave
):
    other_mod = UserFactory(username="mod2")
    other_mod.groups.add(*moderator.groups.all())
    comment = discussion.comment_post(
        author=moderator,
        text="@carol and @mod2, see [@menabrea1843]; not @dave, @nobody or @mod.",
        proposal=proposal,
    )
    notified = Notification.objects.filter(verb="mentioned")
    assert {n.recipient.username for n in notified} == {"carol", "mod2"}
    assert {n.comment for n in notified} == {comment}


def test_a_mention_shows_in_the_notifications(client, proposal, contributor, moderator):
    discussion.comment_post(author=moderator, text="Hi @carol.", proposal=proposal)
    client.force_login(contributor)
    html = client.get(reverse("moderation:notifications")).content.decode()
    assert "mod mentioned you in" in html
    assert f"#comment-{Comment.objects.get().pk}" in html


def test_a_mention_on_a_talk_page_notifies_and_links_to_the_comment(
    client, person, contributor, moderator, dave
):
    gone = UserFactory(username="gone", is_active=False)
    client.force_login(contributor)
    response = post(
        client,
        talk_url(person),
        "@dave and @mod, what of her notes? Not @gone, @nobody or @carol.",
        subject="Her notes",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    notified = Notification.objects.filter(verb="mentioned").order_by(
        "recipient__username"
    )
    assert [(n.recipient.username, n.page, n.comment) for n in notified] == [
        ("dave", person.page_ptr, comment),
        ("mod", person.page_ptr, comment),
    ]
    assert not gone.notifications.exists()
    client.force_login(dave)
    html = client.get(reverse("moderation:notifications")).content.decode()
    link = f'<a href="{talk_url(person)}#comment-{comment.pk}">'
    assert (
        f"carol mentioned you in {link}a comment on the talk page of {person.title}</a>"
        in html
    )


def test_mentions_are_found_in_linear_time():
    for run in ("@" * 10000, "[@" * 5000, "a@" * 5000, "@a" * 5000):
        started = time.perf_counter()
        discussion.mentioned(run)
        assert time.perf_counter() - started < 0.1, run[:4]
    assert discussion.mentioned("mail a@b.org, [@key], @ann. @bob-") == ["ann", "bob"]


# -- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "the comment is empty"),
        ("x" * 10001, "keep it to 10,000 characters or fewer (it has 10,001)"),
    ],
)
def test_an_empty_or_huge_comment_is_refused_keeping_the_text(
    client, proposal, contributor, text, message
):
    client.force_login(contributor)
    response = post(client, comment_url(proposal), text)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if text.strip():
        assert text in html
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_proposal_is_refused(
    client, person, proposal, contributor, moderator
):
    elsewhere = submit(person, contributor, summary="Other", body="Other body.")
    foreign = discussion.comment_post(author=moderator, text="X", proposal=elsewhere)
    client.force_login(contributor)
    response = post(
        client, comment_url(proposal), "My reply stays.", parent=str(foreign.pk)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "not in this discussion" in html
    assert "My reply stays." in html
    assert proposal.comments.count() == 0


def test_a_reply_to_a_missing_comment_is_refused(client, proposal, contributor):
    client.force_login(contributor)
    response = post(client, comment_url(proposal), "Kept text", parent="999999")
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()


def test_a_form_posted_twice_posts_once(client, proposal, contributor):
    client.force_login(contributor)
    data = {"text": "Only once", "token": "same-token"}
    assert client.post(comment_url(proposal), data).status_code == 302
    response = client.post(comment_url(proposal), data)
    assert response.status_code == 409
    assert "posted already" in response.content.decode()
    assert proposal.comments.count() == 1


def test_comments_are_rate_limited_per_user(client, settings, proposal, contributor):
    settings.LINEAGE_COMMENTS_HOUR = 2
    client.force_login(contributor)
    for n in range(2):
        assert post(client, comment_url(proposal), f"c{n}").status_code == 302
    response = post(client, comment_url(proposal), "third")
    assert response.status_code == 429
    html = response.content.decode()
    assert "posted 2 comments in the last hour" in html
    assert "third" in html


def test_moderators_are_not_rate_limited(settings, proposal, moderator):
    settings.LINEAGE_COMMENTS_HOUR = 1
    for n in range(3):
        discussion.comment_post(author=moderator, text=f"m{n}", proposal=proposal)
    assert proposal.comments.count() == 3


def test_comment_html_is_sanitised(client, proposal, contributor):
    client.force_login(contributor)
    post(client, comment_url(proposal), XSS)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_a_comment_with_a_wikilink_records_no_red_link(proposal, contributor):
    from wiki.models import WantedPage

    before = set(WantedPage.objects.values_list("title", flat=True))
    comment = discussion.comment_post(
        author=contributor, text="See [[No Such Page Here]].", proposal=proposal
    )
    assert "wikilink-missing" in comment.html
    assert set(WantedPage.objects.values_list("title", flat=True)) == before


# -- hiding --------------------------------------------------------------------


def test_a_hidden_comment_shows_its_reason_to_others_and_its_text_to_moderators(
    client, proposal, contributor, moderator
):
    comment = discussion.comment_post(
        author=contributor, text="Rude words", proposal=proposal
    )
    client.force_login(moderator)
    response = client.post(
        reverse("discussion:comment_visibility", args=[comment.pk]),
        {"hide": "1", "reason": "Personal attack"},
    )
    assert response.status_code == 302
    event = CommentEvent.objects.get(action="hidden")
    assert (event.user, event.reason) == (moderator, "Personal attack")
    mod_html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Personal attack" in mod_html
    assert "Rude words" in mod_html
    client.force_login(contributor)
    author_html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Personal attack" in author_html
    assert "Rude words" not in author_html


def test_hiding_needs_a_reason_and_a_moderator(
    client, proposal, contributor, moderator
):
    comment = discussion.comment_post(
        author=contributor, text="Text", proposal=proposal
    )
    url = reverse("discussion:comment_visibility", args=[comment.pk])
    client.force_login(contributor)
    assert client.post(url, {"hide": "1", "reason": "Mine"}).status_code == 403
    client.force_login(moderator)
    response = client.post(url, {"hide": "1", "reason": "  "})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden


# -- talk pages ----------------------------------------------------------------


def test_anyone_reads_a_talk_page_and_signed_in_users_post_topics_and_replies(
    client, person, contributor, dave
):
    client.force_login(contributor)
    response = post(client, talk_url(person), "Is the date right?", subject="Dates")
    topic = Comment.objects.get()
    assert response["Location"] == f"{talk_url(person)}#comment-{topic.pk}"
    client.force_login(dave)
    post(client, talk_url(person), "It is.", parent=str(topic.pk))
    client.logout()
    html = client.get(talk_url(person)).content.decode()
    assert "<h2" in html and ">Dates</h2>" in html
    assert "Is the date right?" in html
    assert "It is." in html
    assert "Log in</a> to start a topic" in html
    response = post(client, talk_url(person), "Anon", subject="Spam")
    assert "/login/" in response["Location"]
    assert Comment.objects.count() == 2


def test_an_anonymous_readers_cached_talk_page_follows_posts_and_hiding(
    client, settings, person, contributor, moderator
):
    settings.LINEAGE_PAGE_CACHE = True
    caches["default"].clear()
    wiki_cache.recent.clear()
    topic = discussion.comment_post(
        author=contributor, text="First words", page=person, subject="Dates"
    )
    assert client.get(talk_url(person))["X-Cache"] == "miss"
    assert client.get(talk_url(person))["X-Cache"] == "hit"
    discussion.comment_post(author=moderator, text="A reply", page=person, parent=topic)
    html = client.get(talk_url(person)).content.decode()
    assert "A reply" in html
    discussion.comment_hide(comment=topic, by=moderator, reason="Off topic")
    html = client.get(talk_url(person)).content.decode()
    assert "First words" not in html
    assert "Hidden by a moderator: Off topic" in html


def test_a_topic_needs_a_subject(client, person, contributor):
    client.force_login(contributor)
    response = post(client, talk_url(person), "No subject here")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the new topic a subject." in html
    assert "No subject here" in html
    assert 'name="subject"' in html


def test_the_page_links_to_its_talk_page(client, person):
    html = client.get(person.get_absolute_url()).content.decode()
    assert f'href="{talk_url(person)}"' in html


def test_the_talk_history_records_posts_edits_and_hiding_with_the_old_text(
    client, person, contributor, moderator
):
    topic = discussion.comment_post(
        author=contributor, text="First words", page=person, subject="Topic"
    )
    discussion.comment_edit(comment=topic, by=contributor, text="Second words")
    discussion.comment_hide(comment=topic, by=moderator, reason="Off topic")
    url = reverse(
        "discussion:talk_history",
        kwargs={"section": person.section, "slug": person.slug},
    )
    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert html.index("mod</a>\n    hid") < html.index("carol</a>\n    edited")
    assert html.index("carol</a>\n    edited") < html.index("carol</a>\n    posted")
    assert "Off topic" in html
    assert "First words" in html
    client.logout()
    html = client.get(url).content.decode()
    assert "First words" not in html
    assert "(text hidden by a moderator)" in html


def test_only_the_author_edits_a_comment_and_bad_edits_keep_the_text(
    client, person, contributor, dave
):
    topic = discussion.comment_post(
        author=contributor, text="Mine", page=person, subject="Topic"
    )
    url = reverse("discussion:comment_edit", args=[topic.pk])
    client.force_login(dave)
    assert client.post(url, {"text": "Not mine"}).status_code == 403
    client.force_login(contributor)
    response = client.post(url, {"text": "y" * 10001})
    assert response.status_code == 400
    assert "y" * 10001 in response.content.decode()
    response = client.post(url, {"text": "Mine, edited"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.text == "Mine, edited"
    assert topic.edited_at is not None


def test_the_talk_page_is_paginated(client, person, contributor, moderator):
    for n in range(discussion.TOPICS_PER_PAGE + 1):
        discussion.comment_post(
            author=moderator, text=f"Body {n}", page=person, subject=f"Topic {n}"
        )
    first = client.get(talk_url(person)).content.decode()
    assert f">Topic {discussion.TOPICS_PER_PAGE}</h2>" in first
    assert ">Topic 0</h2>" not in first
    second = client.get(talk_url(person) + "?page=2").content.decode()
    assert ">Topic 0</h2>" in second


@pytest.mark.parametrize("topics", [1, 6])
def test_the_talk_page_costs_the_same_queries_however_many_topics(
    client, person, contributor, moderator, django_assert_num_queries, topics
):
    for n in range(topics):
        topic = discussion.comment_post(
            author=moderator, text=f"Body {n}", page=person, subject=f"T{n}"
        )
        discussion.comment_post(
            author=contributor, text="Reply", page=person, parent=topic
        )
    client.force_login(contributor)
    client.get(talk_url(person))
    # session, user, the page, the count, the topics, their replies,
    # permissions (user, groups), the header's counts
    with django_assert_num_queries(9):
        response = client.get(talk_url(person))
    assert response.content.decode().count('class="comment-replies"') == topics


@pytest.mark.parametrize("comments", [1, 6])
def test_the_proposal_page_costs_the_same_queries_however_many_comments(
    client, proposal, contributor, moderator, django_assert_num_queries, comments
):
    for n in range(comments):
        discussion.comment_post(author=moderator, text=f"C{n}", proposal=proposal)
    client.force_login(contributor)
    client.get(proposal.get_absolute_url())
    # the proposal page as before (its pending review: 76) and one for its comments
    with django_assert_num_queries(77):
        response = client.get(proposal.get_absolute_url())
    assert response.content.decode().count('class="comment-body body"') == comments


def test_a_talk_page_of_a_missing_page_is_not_found(client, db):
    assert client.get("/people/nobody-here/talk/").status_code == 404


def test_control_characters_are_dropped_from_what_is_stored(proposal, contributor):
    comment = discussion.comment_post(
        author=contributor, text="A\x00B\r\nC", proposal=proposal
    )
    assert comment.text == "AB\nC"


# -- previews ------------------------------------------------------------------


def preview_of(html: str) -> str:
    start = html.index('<section class="comment-preview"')
    return html[start : html.index("</section>", start)]


def test_a_topic_is_previewed_with_what_was_typed_and_posted_once_from_there(
    client, person, contributor, dave
):
    client.force_login(contributor)
    typed = "Is *this* source right, @dave?\n\n- one\n- two"
    data = {"text": typed, "subject": "Her source", "token": "t-1", "preview": "1"}
    response = client.post(talk_url(person), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Preview of your comment · Lineage</title>" in html
    preview = preview_of(html)
    assert "<p>Is <em>this</em> source right, @dave?</p>" in preview
    assert "<li>one</li>" in preview
    # The form again, filled in as typed, with the same one-time token.
    assert f">{typed}</textarea>" in html
    assert 'name="subject" maxlength="200" required value="Her source"' in html
    assert '<input type="hidden" name="token" value="t-1">' in html
    # Nothing is posted and nobody is told.
    assert not Comment.objects.exists()
    assert not Notification.objects.filter(verb="mentioned").exists()
    del data["preview"]
    assert client.post(talk_url(person), data).status_code == 302
    assert client.post(talk_url(person), data).status_code == 409
    assert [c.text for c in Comment.objects.all()] == [typed]
    assert Notification.objects.get(verb="mentioned").recipient == dave


def test_a_preview_is_sanitised_and_a_bad_one_says_why_keeping_the_text(
    client, proposal, contributor
):
    client.force_login(contributor)
    response = post(client, comment_url(proposal), XSS, preview="1")
    assert response.status_code == 200
    preview = preview_of(response.content.decode())
    assert "<script>" not in preview
    assert "onerror" not in preview
    assert "javascript:" not in preview
    response = post(client, comment_url(proposal), "z" * 10001, preview="1")
    assert response.status_code == 400
    html = response.content.decode()
    assert "keep it to 10,000 characters or fewer (it has 10,001)" in html
    assert "z" * 10001 in html
    assert 'class="comment-preview"' not in html
    assert not Comment.objects.exists()


def test_only_who_may_comment_previews_a_comment(client, person, proposal, dave):
    client.force_login(dave)
    assert post(client, comment_url(proposal), "Hm", preview="1").status_code == 403
    client.logout()
    response = post(client, talk_url(person), "Hm", preview="1")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_edit_is_previewed_before_it_is_saved(client, person, contributor):
    topic = discussion.comment_post(
        author=contributor, text="Mine", page=person, subject="Topic"
    )
    url = reverse("discussion:comment_edit", args=[topic.pk])
    client.force_login(contributor)
    response = client.post(url, {"text": "Mine, **edited**", "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Mine, <strong>edited</strong></p>" in preview_of(html)
    assert ">Mine, **edited**</textarea>" in html
    topic.refresh_from_db()
    assert (topic.text, topic.edited_at) == ("Mine", None)


def test_a_previewed_reply_quotes_only_a_comment_of_its_own_discussion(
    client, person, proposal, contributor, moderator, dave
):
    topic = discussion.comment_post(
        author=moderator, text="Which *edition* & why?", page=person, subject="Edition"
    )
    private = discussion.comment_post(
        author=moderator, text="Private review note", proposal=proposal
    )
    client.force_login(dave)
    response = post(
        client, talk_url(person), "The second.", parent=str(topic.pk), preview="1"
    )
    html = response.content.decode()
    # Quoted as read, not as typed; linked, with its topic.
    assert (
        f'Your reply to <a href="{talk_url(person)}#comment-{topic.pk}">mod’s '
        "comment</a> in “Edition”: <q>Which edition &amp; why?</q>"
    ) in html
    assert "<title>Preview of your comment · Lineage</title>" in html
    assert f'<input type="hidden" name="parent" value="{topic.pk}">' in html
    assert "Post reply</button>" in html
    # A comment on a proposal dave cannot see is not shown to him.
    response = post(
        client, talk_url(person), "Hm.", parent=str(private.pk), preview="1"
    )
    assert "Private review note" not in response.content.decode()
    # A preview that cannot be posted says so, for a preview.
    response = post(client, talk_url(person), " ", parent=str(topic.pk), preview="1")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Your comment needs a change · Lineage</title>" in html
    assert "the comment is empty" in html
