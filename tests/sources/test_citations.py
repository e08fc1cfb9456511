import pytest

from sources.models import Citation
from tests.factories import CitationFactory, PersonFactory, SourceFactory, UserFactory
from wiki.markdown import render
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


def test_citations_are_numbered_in_order_of_first_use():
    SourceFactory(key="a2019", title="A")
    SourceFactory(key="b2020", title="B")
    html = render("One.[@b2020] Two.[@a2019] Again.[@b2020]").html
    assert '<a href="#ref-b2020" title="B">[1]</a>' in html
    assert '<a href="#ref-a2019" title="A">[2]</a>' in html
    assert 'id="cite-b2020-1"' in html and 'id="cite-b2020-2"' in html


def test_locators_and_several_keys_in_one_bracket():
    SourceFactory(key="a2019")
    SourceFactory(key="b2020")
    html = render("Claim.[@a2019, p. 5; @b2020]").html
    assert ">[1, p. 5]</a>" in html
    assert ">[2]</a>" in html


def test_unknown_key_renders_a_visible_marker_not_an_error():
    rendered = render("Claim.[@nosuchkey]")
    assert 'class="cite-unknown"' in rendered.html
    assert "unknown source: nosuchkey" in rendered.html
    assert rendered.data["citation"]["unknown"] == ["nosuchkey"]


def test_text_that_only_looks_like_a_citation_is_left_alone():
    assert "[@ not a key]" in render("[@ not a key]").html


def test_publishing_attaches_cited_sources_in_citation_order_after_which_others():
    first, second, attached = SourceFactory(), SourceFactory(), SourceFactory()
    page = PersonFactory()
    CitationFactory(page=page, source=attached, position=0)
    page.body = f"x[@{second.key}] y[@{first.key}]"
    page_publish(page=page, user=UserFactory(), summary="cite")
    keys = list(
        Citation.objects.filter(page=page).values_list("source__key", flat=True)
    )
    assert keys == [second.key, first.key, attached.key]


def test_a_citation_may_wrap_across_lines():
    SourceFactory(key="a2019")
    html = render("Claim.[@a2019,\np. 5]").html
    assert ">[1, p. 5]</a>" in html


def test_a_note_links_its_citations_to_the_pages_references_and_escapes_the_rest():
    from types import SimpleNamespace

    from sources.templatetags.citation_tags import with_citations

    references = [{"number": 2, "source": SimpleNamespace(key="known2024")}]
    note = '<b>Left</b> "in 2024".[@known2024, p. 3] Also [@unknown] and [@'
    assert str(with_citations(note, references)) == (
        "&lt;b&gt;Left&lt;/b&gt; &quot;in 2024&quot;."
        '<sup class="cite"><a href="#ref-known2024">[2, p. 3]</a></sup>'
        " Also [@unknown] and [@"
    )
