import pytest

from wiki.markdown import limit_problems, render, sanitize


def test_script_tags_never_reach_the_page():
    html = render("Hello <script>alert(1)</script> world").html
    assert html == "<p>Hello  world</p>"


def test_event_handler_attributes_are_dropped():
    html = render(
        '<img src="x.png" onerror="alert(1)"> and <b onclick="x()">b</b>'
    ).html
    assert "onerror" not in html
    assert "onclick" not in html
    assert '<img src="x.png">' in html


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](JaVaScRiPt:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    ],
)
def test_javascript_and_data_links_come_out_inert(text):
    html = render(text).html
    assert "javascript:" not in html.lower()
    assert "data:" not in html
    assert "click" in html


def test_external_links_are_marked_nofollow_ugc_noopener():
    html = render("[site](https://example.org/a) and [home](/people/)").html
    assert (
        '<a href="https://example.org/a" rel="nofollow ugc noopener">site</a>' in html
    )
    assert '<a href="/people/">home</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[away](//example.org/a)",
        '<a href="//example.org/a">away</a>',
        '<a href="/\\example.org/a">away</a>',
        '<a href="http:example.org">away</a>',
    ],
)
def test_protocol_relative_links_are_external_links(text):
    assert 'rel="nofollow ugc noopener">away</a>' in render(text).html


@pytest.mark.parametrize(
    "text",
    [
        "![pixel](https://tracker.example/p.gif)",
        '<img src="https://tracker.example/p.gif" alt="pixel">',
        '<img src="//tracker.example/p.gif" alt="pixel">',
        '<img src="/\\tracker.example/p.gif" alt="pixel">',
        '<img src="http://upload.wikimedia.org/p.gif" alt="pixel">',
        '<img src="https://upload.wikimedia.org:8443/p.gif" alt="pixel">',
        '<img src="https://upload.wikimedia.org@tracker.example/p.gif" alt="pixel">',
    ],
)
def test_images_from_other_hosts_lose_their_address(text):
    html = render(text).html
    assert html == '<p><img alt="pixel"></p>'


@pytest.mark.parametrize(
    ("text", "src"),
    [
        (
            "![a](https://upload.wikimedia.org/a.png)",
            "https://upload.wikimedia.org/a.png",
        ),
        (
            '<img src="//upload.wikimedia.org/a.png">',
            "https://upload.wikimedia.org/a.png",
        ),
        ("![a](/static/a.png)", "/static/a.png"),
    ],
)
def test_images_from_the_site_and_the_allowed_hosts_are_shown(text, src):
    assert f'src="{src}"' in render(text).html


def test_the_allowed_image_hosts_come_from_the_settings(settings):
    settings.LINEAGE_IMAGE_HOSTS = ["images.example.org"]
    html = render(
        "![a](https://images.example.org/a.png) ![b](https://upload.wikimedia.org/b.png)"
    ).html
    assert (
        html
        == '<p><img alt="a" src="https://images.example.org/a.png"> <img alt="b"></p>'
    )


def test_user_written_rel_is_replaced():
    html = render('<a href="https://example.org" rel="me">x</a>').html
    assert 'rel="nofollow ugc noopener"' in html
    assert 'rel="me"' not in html


def test_user_classes_cannot_imitate_the_renderers_markup():
    html = render('<span class="wikilink-missing evil">x</span>').html
    assert "evil" not in html
    assert 'class="wikilink-missing"' in html  # a known class, harmless on a span


def test_tables_heading_ids_and_table_of_contents():
    rendered = render(
        "## First part\n\ntext\n\n### Detail\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert '<h2 id="first-part">First part</h2>' in rendered.html
    assert "<table>" in rendered.html and "<td>1</td>" in rendered.html
    assert 'href="#first-part"' in rendered.toc_html
    assert 'href="#detail"' in rendered.toc_html
    assert [h["id"] for h in rendered.headings] == ["first-part", "detail"]


def test_text_without_headings_has_no_table_of_contents():
    assert render("Just a paragraph.").toc_html == ""


@pytest.mark.parametrize(
    "text",
    [
        "[[unclosed link",
        "[@unclosed citation",
        "```\nunclosed fence",
        "*" * 5000,
        "[" * 2000 + "]" * 2000,
        "Ünïcödé — 中文 — 🙂 — \u202eRTL\u202c — \x00 null",
        "<div><div><div>" * 200,
        "| a |\n|---|\n" + "| x |\n" * 500,
    ],
)
def test_malformed_input_renders_without_error(text):
    rendered = render(text)
    assert isinstance(rendered.html, str)


def test_later_parts_render_with_the_first():
    rendered = render("# Body", "the *reading*", "a [link](https://x.org)")
    assert rendered.html == '<h1 id="body">Body</h1>'
    assert rendered.more_html[0] == "<p>the <em>reading</em></p>"
    assert 'rel="nofollow ugc noopener"' in rendered.more_html[1]


def test_sanitize_drops_comments_and_disallowed_tags():
    assert sanitize("<!-- hi --><iframe src=x></iframe><p>ok</p>") == "<p>ok</p>"


# Bounded nesting: deeper structures render flat, never a RecursionError -------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("- - - x", "<ul>\n<li>\n<ul>\n<li>- x</li>\n</ul>\n</li>\n</ul>"),
        ("1. 1. 1. x", "<ol>\n<li>\n<ol>\n<li>1. x</li>\n</ol>\n</li>\n</ol>"),
        (
            "> > > x",
            "<blockquote>\n<blockquote>\n<p>&gt; x</p>\n</blockquote>\n</blockquote>",
        ),
        ("- - -", "<hr>"),  # a rule, not lists
    ],
)
def test_lists_and_quotes_past_the_nesting_limit_show_deeper_markers_as_text(
    settings, text, html
):
    settings.LINEAGE_MARKDOWN_MAX_NESTING = 2
    assert render(text).html == html


def test_five_hundred_nested_list_items_render_sixteen_deep():
    html = render("- " * 500 + "x").html
    assert html.count("<ul>") == 16
    assert "<li>" + "- " * 484 + "x</li>" in html


def test_three_thousand_nested_quotes_render_sixteen_deep():
    html = render("> " * 3000 + "x").html
    assert html.count("<blockquote>") == 16
    assert "<p>" + "&gt; " * 2984 + "x</p>" in html


def test_emphasis_nested_past_the_element_limit_becomes_text():
    html = render("*a " * 3000 + "b" + "*" * 3000).html
    assert html.count("<em>") == 4 * 16 - 1  # the body's own <p> is one level
    assert html.startswith("<p><em>a <em>a ")
    assert html.endswith("a a b" + "</em>" * 63 + "</p>")


def test_raw_html_nested_past_the_limit_loses_the_deeper_tags():
    assert render("<div>" * 100_000 + "x").html == ("<div>" * 96 + "x" + "</div>" * 96)


@pytest.mark.django_db
def test_text_past_the_link_limit_looks_up_only_the_limit(
    settings, django_assert_num_queries
):
    settings.LINEAGE_MARKDOWN_MAX_LINKS = 2
    with django_assert_num_queries(1):
        rendered = render("[[A]] [[B]] [[C]] [[D]]")
    assert rendered.data["wikilink"]["titles"] == ["A", "B"]


# The limits, as the form and the preview check them ---------------------------


def test_text_within_the_limits_has_no_problems():
    text = "## Part\n\n- a [[Page]] [@key]\n    - b\n\n> quote\n\n```\n" + "> " * 40
    assert limit_problems(text + "\n```\n") == []


@pytest.mark.django_db
def test_each_limit_passed_is_named_with_the_figures(settings):
    settings.LINEAGE_MAX_BODY_CHARS = 60
    settings.LINEAGE_MARKDOWN_MAX_LINKS = 2
    settings.LINEAGE_MARKDOWN_MAX_NESTING = 3
    assert limit_problems("x" * 61) == [
        "This text is too long: keep it to 60 characters or fewer (it has 61)."
    ]
    assert limit_problems("[[A]] [@b] [[C|c]]\n\n- - - - x") == [
        "This text has 3 [[links]] and [@citations]; a field may have at most 2. "
        "Link a page once where it matters, or split the text.",
        "Lists and quotes may nest 3 levels deep; this line goes deeper: "
        "“- - - - x”. Deeper markers would show as plain text.",
    ]
    assert limit_problems("- - - - x", nesting=False) == []
