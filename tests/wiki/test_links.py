import pytest

from tests.factories import PersonFactory, ThemeFactory, UserFactory, WorkFactory
from wiki.links import resolve_titles
from wiki.markdown import render
from wiki.models import PageLink
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


def test_wikilink_resolves_by_title_ignoring_case():
    person = PersonFactory(title="Ilya Sutskever", slug="ilya-sutskever")
    html = render("Worked with [[ilya  SUTSKEVER]].").html
    assert (
        f'<a class="wikilink" href="{person.get_absolute_url()}">ilya SUTSKEVER</a>'
        in html
    )


def test_wikilink_label_and_short_title():
    work = WorkFactory(
        title="Learning Transferable Visual Models", short_title="CLIP", slug="clip"
    )
    html = render("See [[CLIP|the CLIP paper]].").html
    assert f'href="{work.get_absolute_url()}">the CLIP paper</a>' in html


def test_missing_page_is_a_red_link_to_the_missing_page_view(client):
    html = render("[[No Such Page]]").html
    assert 'class="wikilink wikilink-missing"' in html
    assert 'href="/go/?title=No+Such+Page"' in html
    response = client.get("/go/?title=No+Such+Page")
    assert response.status_code == 404
    assert "does not have a page called “No Such Page” yet" in response.content.decode()


def test_ambiguous_title_links_to_a_choice_of_pages(client):
    PersonFactory(title="Mercury", slug="mercury")
    ThemeFactory(title="Mercury", slug="mercury")
    html = render("[[Mercury]]").html
    assert "wikilink-ambiguous" in html
    response = client.get("/go/?title=Mercury")
    assert response.status_code == 200
    assert response.content.decode().count("/mercury/") == 2


def test_publishing_records_links_and_what_links_here():
    target = PersonFactory(title="Luke Metz", slug="luke-metz")
    page = PersonFactory.build(
        title="Alec", slug="alec", body="[[Luke Metz]], [[luke metz|again]], [[Nobody]]"
    )
    page_publish(page=page, user=UserFactory(), summary="links")
    links = {link.target_title: link.target_id for link in page.links_out.all()}
    assert links == {"Luke Metz": target.pk, "Nobody": None}
    assert list(target.links_in.values_list("source__title", flat=True)) == ["Alec"]


def test_creating_a_missing_page_turns_red_links_blue():
    user = UserFactory()
    linking = PersonFactory.build(
        title="Alec", slug="alec", body="See [[Foundation Models]]."
    )
    page_publish(page=linking, user=user, summary="red link")
    linking.refresh_from_db()
    assert "wikilink-missing" in linking.body_html

    theme = ThemeFactory.build(title="Foundation Models", slug="foundation-models")
    page_publish(page=theme, user=user, summary="create")

    linking.refresh_from_db()
    assert "wikilink-missing" not in linking.body_html
    assert f'href="{theme.get_absolute_url()}"' in linking.body_html
    assert PageLink.objects.get(source=linking).target_id == theme.pk


def test_renaming_a_page_updates_links_to_its_old_and_new_titles():
    user = UserFactory()
    theme = ThemeFactory.build(title="Old Name", slug="old-name")
    page_publish(page=theme, user=user, summary="create")
    linking = PersonFactory.build(
        title="Alec", slug="alec", body="[[Old Name]] [[New Name]]"
    )
    page_publish(page=linking, user=user, summary="links")

    theme.title = "New Name"
    page_publish(page=theme, user=user, summary="rename")

    linking.refresh_from_db()
    assert f'href="{theme.get_absolute_url()}">New Name</a>' in linking.body_html
    assert 'wikilink-missing" href="/go/?title=Old+Name"' in linking.body_html


def test_a_wikilink_may_wrap_across_lines():
    person = PersonFactory(title="Noise Contrastive Estimation", slug="nce")
    html = render("See [[Noise\ncontrastive estimation|the\nNCE page]].").html
    assert f'href="{person.get_absolute_url()}">the NCE page</a>' in html


@pytest.fixture
def transformers():
    """A work and a theme that share a title."""
    work = WorkFactory(title="Transformer", slug="transformer")
    theme = ThemeFactory(title="Transformer", slug="transformer")
    return work, theme


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[[Transformer (work)]]", "work"),
        ("[[transformer  (Work)|the paper]]", "work"),
        ("[[Transformer (theme)]]", "theme"),
    ],
)
def test_the_kind_in_brackets_picks_one_of_several_pages_with_a_title(
    transformers, text, kind
):
    page = {"work": transformers[0], "theme": transformers[1]}[kind]
    html = render(text).html
    assert f'<a class="wikilink" href="{page.get_absolute_url()}">' in html


def test_a_title_with_brackets_that_name_no_kind_is_a_title():
    person = PersonFactory(title="Mercury (singer)", slug="mercury-singer")
    html = render("[[Mercury (singer)]]").html
    assert f'<a class="wikilink" href="{person.get_absolute_url()}">' in html


def test_a_title_wins_over_another_pages_short_title():
    theme = ThemeFactory(title="CLIP", slug="clip-theme")
    WorkFactory(title="Learning Transferable Visual Models", short_title="CLIP")
    html = render("[[CLIP]]").html
    assert f'<a class="wikilink" href="{theme.get_absolute_url()}">CLIP</a>' in html


def test_the_choice_of_pages_says_what_to_type_for_each(client, transformers):
    html = client.get("/go/?title=Transformer").content.decode()
    assert "<code>[[Transformer (work)]]</code>" in html
    assert "<code>[[Transformer (theme)]]</code>" in html


def test_a_missing_page_named_with_its_kind_is_created_as_that_kind(client):
    response = client.get("/go/?title=Attention+(work)")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/works/new/?title=Attention"' in html
    assert "/people/new/" not in html


def test_creating_a_page_turns_links_naming_it_with_its_kind_blue():
    user = UserFactory()
    linking = PersonFactory.build(title="Alec", slug="alec", body="[[GPT (work)]]")
    page_publish(page=linking, user=user, summary="red link")
    work = WorkFactory.build(title="GPT", slug="gpt")
    page_publish(page=work, user=user, summary="create")
    linking.refresh_from_db()
    assert f'href="{work.get_absolute_url()}"' in linking.body_html
    assert PageLink.objects.get(source=linking).target_id == work.pk


def test_resolving_titles_names_every_title_with_the_pages_it_names(
    django_assert_num_queries,
):
    person = PersonFactory(title="Ilya Sutskever", slug="ilya-sutskever")
    theme = ThemeFactory(title="Scaling", slug="scaling")
    with django_assert_num_queries(1):
        found = resolve_titles(["ilya  SUTSKEVER", "Scaling (theme)", "Nobody", " "])
    assert found == {
        "ilya sutskever": [person.page_ptr],
        "scaling (theme)": [theme.page_ptr],
        "nobody": [],
    }
