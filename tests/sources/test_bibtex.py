"""BibTeX and CSL-JSON: importing a bibliography (preview, then one revision),
and downloading a source, a page's references or every source."""

import json
import time
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Revision, Version

from sources import csl, exchange_views
from sources.bibtex import MAX_CHARACTERS, parse_bibtex, to_bibtex
from sources.models import Source
from sources.services import source_publish
from tests.factories import PersonFactory, UserFactory
from wiki.models import RevisionMeta
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

IMPORT = "/sources/import/"
SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "csl-data.json").read_text()
)

BIBLIOGRAPHY = r"""
@article{radford2019language,
  author = {Radford, Alec and Wu, Jeff and Child, Rewon and others},
  title = {Language Models are Unsupervised Multitask Learners},
  journal = {OpenAI Blog},
  year = {2019},
  month = feb,
  url = {https://cdn.openai.com/better-language-models/language_models.pdf}
}

@inproceedings{vaswani2017attention,
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  title = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems},
  year = 2017,
  eprint = {1706.03762},
  archivePrefix = {arXiv}
}

@article{bender2021parrots,
  author = {Bender, Emily M. and Gebru, Timnit and McMillan-Major, Angelina},
  title = {On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?},
  journal = {Proceedings of FAccT},
  year = {2021},
  doi = {https://doi.org/10.1145/3442188.3445922}
}

@misc{muller2020,
  author = {M{\"u}ller, J{\"o}rg and van Beethoven, Ludwig},
  title = {{\"U}ber \& unter: 50\% of \{braces\} \_
    \textasciicircum{} \textasciitilde{} \$ \#},
  year = {2020},
  url = {https://example.org/a%20b_c?d=1&e=2}
}
"""


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def preview(client, text, **more):
    return client.post(IMPORT, {"bibtex": text, "action": "preview", **more})


def commit(client, text, response, **more):
    """Press "Import" on the preview ``response``: its hidden fields as shown."""
    form = response.context["form"]
    return client.post(
        IMPORT,
        {
            "bibtex": text,
            "summary": "Bring in the reading list",
            "digest": form.data["digest"],
            "signature": form.data["signature"],
            "action": "import",
            **more,
        },
    )


def outcomes(response) -> dict[str, str]:
    return {row.entry.key: row.outcome for row in response.context["plan"].rows}


# -- reading and writing BibTeX ----------------------------------------------


def test_bibtex_in_sources_out_keeps_keys_authors_titles_years_and_identifiers(
    mod_client,
):
    response = preview(mod_client, BIBLIOGRAPHY)
    assert response.status_code == 200
    assert commit(mod_client, BIBLIOGRAPHY, response).status_code == 302

    radford = Source.objects.get(key="radford2019language")
    assert radford.authors == "Alec Radford, Jeff Wu, Rewon Child et al."
    assert (radford.year, radford.month, radford.publisher) == (2019, 2, "OpenAI Blog")
    vaswani = Source.objects.get(key="vaswani2017attention")
    assert (vaswani.arxiv_id, vaswani.source_type) == ("1706.03762", "paper")
    assert Source.objects.get(key="bender2021parrots").doi == (
        "10.1145/3442188.3445922"
    )
    muller = Source.objects.get(key="muller2020")
    assert muller.authors == "Jörg Müller, Ludwig van Beethoven"
    assert muller.title == "Über & unter: 50% of {braces} _ ^ ~ $ #"
    assert muller.url == "https://example.org/a%20b_c?d=1&e=2"

    exported = mod_client.get(reverse("sources:sources_bibtex"))
    text = b"".join(exported.streaming_content).decode()
    again = {e.key: e.source for e in parse_bibtex(text).entries}
    for source in Source.objects.all():
        back = again[source.key]
        for name in ("authors", "title", "year", "month", "doi", "arxiv_id", "url"):
            assert getattr(back, name) == getattr(source, name), (source.key, name)


def test_an_entry_key_the_site_refuses_is_refused_not_renamed(mod_client):
    response = preview(mod_client, "@misc{2020first, title={Starts with a digit}}")
    (row,) = response.context["plan"].rows
    assert row.outcome == "refuse"
    assert row.reasons[0].startswith(
        "Citation key “2020first”: A citation key starts with"
    )


def test_an_invalid_identifier_is_refused_naming_it_and_the_value(mod_client):
    response = preview(mod_client, "@misc{bad2020, title={Bad}, doi={10.abc}}")
    (row,) = response.context["plan"].rows
    assert row.outcome == "refuse"
    assert row.reasons[0].startswith("DOI “10.abc”: ")


def test_bibtex_out_is_valid_escapes_specials_and_names_authors_family_first(db):
    source = Source(
        key="odd2020",
        source_type=Source.Type.PAPER,
        title="A {brace} & 100% $cost$ #1 under_score ~ ^ \\ end",
        authors="Ludwig van Beethoven, Jörg Müller et al.",
        publisher="J. of R&D",
        year=2020,
        doi="10.1000/x{y}",
    )
    text = to_bibtex(source)
    assert "author = {van Beethoven, Ludwig and Müller, Jörg and others}" in text
    source.authors = "Alec Radford, Luke Metz, and Soumith Chintala"
    assert "author = {Radford, Alec and Metz, Luke and Chintala, Soumith}" in (
        to_bibtex(source)
    )
    assert r"\{brace\} \& 100\% \$cost\$ \#1 under\_score" in text
    assert "doi = {10.1000/x%7By%7D}" in text
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["odd2020"]
    assert parse_bibtex(text).entries[0].source.title == source.title


@pytest.mark.parametrize("source_type", Source.Type.values)
def test_every_type_comes_back_from_bibtex_as_it_went_out(db, source_type):
    source = Source(
        key="typed2024",
        source_type=source_type,
        title="Senior researcher departs",
        authors="Stephanie Palazzolo",
        publisher="The Information",
        year=2024,
        month=12,
        url="https://example.org/departs",
    )
    back = parse_bibtex(to_bibtex(source)).entries[0].source
    assert (back.source_type, back.publisher) == (source_type, "The Information")


def test_a_blog_post_and_a_news_article_say_so_in_biblatex_terms(db):
    news = Source(key="n", source_type=Source.Type.NEWS, title="T", publisher="P")
    blog = Source(key="b", source_type=Source.Type.BLOG, title="T", publisher="P")
    assert to_bibtex(news).startswith("@article{n,\n  entrysubtype = {newspaper},")
    assert "journal = {P}" in to_bibtex(news)
    assert to_bibtex(blog).startswith("@online{b,\n  entrysubtype = {blog},")
    magazine = "@article{m, entrysubtype = {Magazine}, title = {T}, journal = {W}}"
    assert parse_bibtex(magazine).entries[0].source.source_type == Source.Type.NEWS


# -- the preview -------------------------------------------------------------


def test_preview_saves_nothing_and_says_what_each_entry_will_do(mod_client, source):
    text = (
        BIBLIOGRAPHY
        + "@misc{again, title={Same DOI}, doi={10.1145/3442188.3445922}}\n"
        + "@misc{bad, title={Bad DOI}, doi={11.2/x}}\n"
        + "@misc{badarxiv, title={Bad arXiv}, eprint={2499.00001}}\n"
        + "@misc{untitled, author={Nobody, A}}\n"
        + "@misc{radford2019language, title={Twice in the file}}\n"
    )
    revisions = Revision.objects.count()
    response = preview(mod_client, text)
    assert Source.objects.count() == 1 and Revision.objects.count() == revisions
    found = [(row.entry.key, row.outcome) for row in response.context["plan"].rows]
    assert found == [
        ("radford2019language", "create"),
        ("vaswani2017attention", "match"),  # the fixture's key
        ("bender2021parrots", "create"),
        ("muller2020", "create"),
        ("again", "refuse"),  # the same DOI as bender2021parrots
        ("bad", "refuse"),
        ("badarxiv", "refuse"),
        ("untitled", "refuse"),
        ("radford2019language", "refuse"),
    ]
    html = response.content.decode()
    assert "Will be created" in html and "Matches an existing source" in html
    assert 'href="/sources/vaswani2017attention/"' in html
    assert "Same DOI or arXiv id as bender2021parrots (line 20)" in html
    assert "A DOI looks like 10.1234/abc.5678" in html
    assert "An arXiv identifier looks like" in html
    assert "Title: This field cannot be blank." in html
    assert "The key radford2019language is used by an earlier entry." in html
    assert "Import 3 sources" in html


def test_an_entry_matching_an_existing_source_by_doi_or_arxiv_is_not_duplicated(
    mod_client, moderator
):
    source_publish(
        source=Source(key="parrots", title="Parrots", doi="10.1145/3442188.3445922"),
        user=moderator,
        summary="Add",
    )
    source_publish(
        source=Source(key="transformer", title="Transformer", arxiv_id="1706.03762"),
        user=moderator,
        summary="Add",
    )
    response = preview(mod_client, BIBLIOGRAPHY)
    rows = {row.entry.key: row for row in response.context["plan"].rows}
    assert (
        rows["bender2021parrots"].outcome,
        rows["bender2021parrots"].matched_by,
    ) == (
        "match",
        "DOI",
    )
    assert rows["vaswani2017attention"].matched_by == "arXiv id"
    commit(mod_client, BIBLIOGRAPHY, response)
    assert Source.objects.filter(doi="10.1145/3442188.3445922").count() == 1
    assert not Source.objects.filter(key="bender2021parrots").exists()
    assert Source.objects.filter(key="radford2019language").exists()


def test_a_doi_in_other_letters_or_another_arxiv_version_is_the_same_work(
    mod_client, moderator
):
    source_publish(
        source=Source(key="resnet", title="ResNet", doi="10.1109/CVPR.2016.90"),
        user=moderator,
        summary="Add",
    )
    source_publish(
        source=Source(key="dcgan", title="DCGAN", arxiv_id="1511.06434"),
        user=moderator,
        summary="Add",
    )
    source_publish(
        source=Source(key="clip", title="CLIP", arxiv_id="2103.00020v1"),
        user=moderator,
        summary="Add",
    )
    text = """
@inproceedings{he2016deep, title = {Deep Residual Learning},
  doi = {10.1109/cvpr.2016.90}}
@article{radford2015dcgan, title = {DCGAN again},
  eprint = {1511.06434v2}, archivePrefix = {arXiv}}
@article{radford2021clip, title = {CLIP again},
  eprint = {2103.00020}, archivePrefix = {arXiv}}
@article{other2021, title = {Not CLIP}, eprint = {2103.00021}, archivePrefix = {arXiv}}
"""
    rows = preview(mod_client, text).context["plan"].rows
    assert [(row.entry.key, row.outcome, row.matched_by) for row in rows] == [
        ("he2016deep", "match", "DOI"),
        ("radford2015dcgan", "match", "arXiv id"),
        ("radford2021clip", "match", "arXiv id"),
        ("other2021", "create", ""),
    ]
    assert [row.existing.key for row in rows[:3]] == ["resnet", "dcgan", "clip"]


def test_malformed_bibtex_names_the_entry_and_line_and_imports_nothing(mod_client):
    text = (
        BIBLIOGRAPHY
        + "@article{broken,\n  title = {Never closed\n@misc{x, title={X}}\n"
    )
    response = preview(mod_client, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 35, <code>@article{broken,</code>" in html
    assert "Was still looking for field-value closing" in html
    assert "Import 3" not in html
    assert response.context["form"]["bibtex"].value() == text  # kept in the box
    # Forcing the import anyway imports nothing.
    response = mod_client.post(
        IMPORT,
        {
            "bibtex": text,
            "action": "import",
            "digest": response.context["form"].data["digest"],
            "signature": response.context["form"].data["signature"],
        },
    )
    assert response.status_code == 400
    assert Source.objects.count() == 0


def test_text_over_the_limit_is_refused_and_kept(mod_client):
    text = "@misc{x, title={" + "a" * MAX_CHARACTERS + "}}"
    response = preview(mod_client, text)
    assert response.status_code == 400
    assert "at most 200,000 are read at once" in response.content.decode()
    assert response.context["form"]["bibtex"].value() == text


def test_an_uploaded_file_is_previewed_and_shown_in_the_box(mod_client):
    upload = SimpleUploadedFile("refs.bib", BIBLIOGRAPHY.encode(), "text/x-bibtex")
    response = mod_client.post(IMPORT, {"file": upload, "action": "preview"})
    assert response.status_code == 200
    assert outcomes(response)["radford2019language"] == "create"
    assert response.context["form"]["bibtex"].value() == BIBLIOGRAPHY


def test_a_file_that_is_not_utf8_is_refused(mod_client):
    upload = SimpleUploadedFile("refs.bib", "@misc{x, title={Ü}}".encode("utf-16"))
    response = mod_client.post(IMPORT, {"file": upload, "action": "preview"})
    assert response.status_code == 400
    assert "not UTF-8 text" in response.content.decode()


@pytest.mark.parametrize(
    ("inside", "run"),
    [
        ("", "{"),
        ("", "@"),
        ("", "["),
        ("", "@a{"),
        ("", "\\"),
        ("", '{\\"'),
        ("author", "a and "),
        ("author", "{"),
        ("title", "\\begin{y}"),
        ("title", "\\textbf{"),
        ("title", "$"),
        ("title", "\\\\x"),
    ],
)
def test_runs_of_special_characters_at_the_limit_are_read_in_linear_time(
    mod_client, inside, run
):
    text = f"@misc{{x, {inside}={{" if inside else ""
    text += run * ((MAX_CHARACTERS - len(text)) // len(run))
    started = time.monotonic()
    response = preview(mod_client, text)
    assert response.status_code == 400  # nothing to import in any of them
    assert time.monotonic() - started < 5


# -- the import --------------------------------------------------------------


def test_the_import_is_one_revision_with_its_author_and_summary(mod_client, moderator):
    response = preview(mod_client, BIBLIOGRAPHY)
    before = Revision.objects.count()
    response = commit(mod_client, BIBLIOGRAPHY, response)
    assert response.status_code == 302
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.latest("pk")
    assert (revision.user, revision.comment) == (moderator, "Bring in the reading list")
    assert revision.meta.action == RevisionMeta.Action.IMPORT
    assert revision.meta.approved_by == moderator
    keys = {
        v.object.key for v in Version.objects.filter(revision=revision)
    }  # the four entries, each a version of the one revision
    assert keys == {
        "radford2019language",
        "vaswani2017attention",
        "bender2021parrots",
        "muller2020",
    }
    page = mod_client.get(response["Location"])
    assert "Imported 4 sources as one revision." in page.content.decode()
    history = mod_client.get("/sources/radford2019language/history/")
    assert "Bring in the reading list" in history.content.decode()


def test_a_double_submit_creates_nothing_twice(mod_client):
    response = preview(mod_client, BIBLIOGRAPHY)
    assert commit(mod_client, BIBLIOGRAPHY, response).status_code == 302
    revisions = Revision.objects.count()
    second = commit(mod_client, BIBLIOGRAPHY, response)
    assert second.status_code == 409
    assert "Sources changed since the preview" in second.content.decode()
    assert Source.objects.count() == 4 and Revision.objects.count() == revisions
    assert set(outcomes(second).values()) == {"match"}


def test_a_stale_preview_is_checked_again_not_committed(mod_client, moderator):
    response = preview(mod_client, BIBLIOGRAPHY)
    # Someone creates one of the sources meanwhile.
    source_publish(
        source=Source(key="radford2019language", title="GPT-2"),
        user=moderator,
        summary="Add",
    )
    stale = commit(mod_client, BIBLIOGRAPHY, response)
    assert stale.status_code == 409
    assert outcomes(stale)["radford2019language"] == "match"
    assert Source.objects.count() == 1
    # The new preview's button imports the rest.
    assert commit(mod_client, BIBLIOGRAPHY, stale).status_code == 302
    assert Source.objects.count() == 4


def test_a_text_changed_after_the_preview_is_previewed_again(mod_client):
    response = preview(mod_client, BIBLIOGRAPHY)
    changed = BIBLIOGRAPHY + "@misc{late, title={Added after the preview}}\n"
    response = commit(mod_client, changed, response)
    assert response.status_code == 409
    assert "The text changed since the preview" in response.content.decode()
    assert Source.objects.count() == 0
    assert outcomes(response)["late"] == "create"


def test_an_import_is_all_or_nothing(mod_client, monkeypatch):
    response = preview(mod_client, BIBLIOGRAPHY)
    saved = []
    real_save = Source.save

    def save_then_fail(self, *args, **kwargs):
        saved.append(self.key)
        if len(saved) == 3:
            raise exchange_views.IntegrityError("taken meanwhile")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Source, "save", save_then_fail)
    response = commit(mod_client, BIBLIOGRAPHY, response)
    assert response.status_code == 409
    assert "nothing was imported" in response.content.decode()
    assert Source.objects.count() == 0


# -- who may import ------------------------------------------------------------


def test_only_moderators_import(client, contributor):
    assert client.get(IMPORT).status_code == 302  # to the log-in page
    client.force_login(contributor)
    assert client.get(IMPORT).status_code == 403
    assert preview(client, BIBLIOGRAPHY).status_code == 403
    assert Source.objects.count() == 0


def test_the_sources_index_links_the_import_for_moderators_only(
    client, contributor, moderator
):
    client.force_login(contributor)
    assert IMPORT not in client.get("/sources/").content.decode()
    client.force_login(moderator)
    assert f'href="{IMPORT}"' in client.get("/sources/").content.decode()


# -- export --------------------------------------------------------------------


@pytest.fixture
def cited_page(db):
    author = UserFactory(username="writer")
    sources = [
        Source(
            key=f"ref{n}",
            title=f"Reference {n}",
            authors="Ada Lovelace, Charles Babbage",
            source_type=Source.Type.PAPER if n % 2 else Source.Type.WEB,
            publisher="Royal Society",
            year=1843,
            month=n % 12 + 1,
            doi=f"10.1000/ref.{n}",
            url=f"https://example.org/{n}",
        )
        for n in range(3)
    ]
    for source in sources:
        source_publish(source=source, user=author, summary="Add")
    page = PersonFactory.build(
        title="Ada Lovelace", slug="ada", body="She wrote [@ref2] and [@ref0]."
    )
    page_publish(page=page, user=author, summary="Create")
    return page


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_a_source_downloads_as_bibtex_and_csl_json(client, source):
    response = client.get("/sources/vaswani2017attention/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="vaswani2017attention.bib"'
    )
    assert _body(response).startswith("@article{vaswani2017attention,\n")
    response = client.get("/sources/vaswani2017attention/cite.json")
    assert response["Content-Type"] == (
        "application/vnd.citationstyles.csl+json; charset=utf-8"
    )
    items = json.loads(_body(response))
    jsonschema.validate(items, SCHEMA)
    assert items[0]["author"] == [  # "Ashish Vaswani et al."
        {"family": "Vaswani", "given": "Ashish"},
        {"literal": "others"},
    ]
    assert items[0]["issued"] == {"date-parts": [[2017]]}


def test_a_pages_references_download_in_their_order(client, cited_page):
    response = client.get("/people/ada/references.bib")
    assert response["Content-Disposition"] == (
        'attachment; filename="ada-references.bib"'
    )
    assert [e.key for e in parse_bibtex(_body(response)).entries] == ["ref2", "ref0"]
    items = json.loads(_body(client.get("/people/ada/references.json")))
    jsonschema.validate(items, SCHEMA)
    assert [item["id"] for item in items] == ["ref2", "ref0"]
    assert client.get("/people/nobody/references.bib").status_code == 404


def test_every_source_is_streamed_a_bounded_batch_at_a_time(
    client, cited_page, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(exchange_views, "EXPORT_BATCH", 2)
    for fmt, url in (("bib", "/sources/all.bib"), ("json", "/sources/all.json")):
        with django_assert_max_num_queries(2) as captured:
            response = client.get(url)
        assert response.streaming
        with django_assert_max_num_queries(2) as captured:
            body = _body(response)  # 3 sources: a batch of 2, then of 1
        assert all("LIMIT 2" in q["sql"] for q in captured.captured_queries)
        assert response["Content-Disposition"] == (
            f'attachment; filename="lineage-sources.{fmt}"'
        )
    items = json.loads(body)
    jsonschema.validate(items, SCHEMA)
    assert [item["id"] for item in items] == ["ref0", "ref1", "ref2"]


def test_csl_json_of_every_type_validates_against_the_csl_schema(client, db):
    author = UserFactory(username="writer")
    for n, kind in enumerate(Source.Type.values):
        source_publish(
            source=Source(
                key=f"k{n}",
                source_type=kind,
                title=f"T {n}",
                authors="Plato, Ada Lovelace et al.",
                publisher="P",
                year=2000,
                month=1,
                day=2,
                arxiv_id="2103.00020" if n == 1 else "",
                url="https://example.org/",
            ),
            user=author,
            summary="Add",
        )
    items = json.loads(_body(client.get("/sources/all.json")))
    jsonschema.validate(items, SCHEMA)
    assert {item["type"] for item in items} >= {"article-journal", "webpage", "book"}
    assert items[0]["author"][0] == {"literal": "Plato"}
    # "et al." is kept, as BibTeX's "others": the last name, a literal.
    assert items[0]["author"][1:] == [
        {"family": "Lovelace", "given": "Ada"},
        {"literal": "others"},
    ]


def test_a_reference_with_more_authors_than_named_says_et_al(db):
    source = Source(
        pk=1,
        key="gpt2",
        title="Language models are unsupervised multitask learners",
        authors="Alec Radford, Jeff Wu et al.",
        source_type=Source.Type.REPORT,
        publisher="OpenAI",
        year=2019,
    )
    assert str(csl.format_source(source)).startswith(
        "Radford, A., Wu, J., et al. (2019). "
    )
    source.authors = "Alec Radford et al."
    assert str(csl.format_source(source)).startswith("Radford, A., et al. (2019). ")


def test_source_page_and_references_link_their_downloads(client, cited_page):
    html = client.get("/people/ada/").content.decode()
    assert (
        'Cite: <a href="/people/ada/references.bib" download>BibTeX</a> · '
        '<a href="/people/ada/references.json" download>CSL-JSON</a>'
    ) in html
    html = client.get("/sources/ref0/").content.decode()
    assert 'href="/sources/ref0/cite.bib" download>BibTeX</a>' in html
    assert 'href="/sources/ref0/cite.json" download>CSL-JSON</a>' in html


# -- formatting with the CSL processor ------------------------------------------------


def test_references_are_formatted_in_apa_by_the_csl_processor(client, cited_page):
    html = client.get("/people/ada/").content.decode()
    assert (
        '<span class="reference">Lovelace, A., &amp; Babbage, C. (1843, March). '
        "<i>Reference 2</i>. Royal Society. "
        '<a href="https://doi.org/10.1000/ref.2" rel="nofollow ugc noopener">'
        "https://doi.org/10.1000/ref.2</a></span>"
    ) in html


def test_a_changed_source_is_formatted_again(client, cited_page):
    client.get("/people/ada/")
    source = Source.objects.get(key="ref2")
    source.title = "Renamed reference"
    source_publish(source=source, user=UserFactory(), summary="Rename")
    assert (
        "(1843, March). <i>Renamed reference</i>."
        in client.get("/sources/ref2/").content.decode()
    )


def test_hostile_titles_and_authors_come_out_as_text(client, db):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"&'
    source_publish(
        source=Source(key="evil", title=payload, authors=payload, publisher=payload),
        user=UserFactory(),
        summary="Add",
    )
    html = client.get("/sources/evil/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x" in html


def test_a_reference_without_authors_names_its_title_once(client, db):
    source_publish(
        source=Source(
            key="news2024",
            source_type=Source.Type.NEWS,
            title="Researcher <Departs> & more",
            publisher="The Information",
            year=2024,
            month=12,
        ),
        user=UserFactory(),
        summary="Add",
    )
    html = client.get("/sources/news2024/").content.decode()
    assert (
        '<p class="reference">Researcher &lt;Departs&gt; &amp; more. '
        "(2024, December). <i>The Information</i>.</p>"
    ) in html


def test_a_preview_costs_the_same_queries_for_3_entries_or_300(
    mod_client, source, django_assert_max_num_queries
):
    def bibliography(count):
        return "".join(
            f"@misc{{k{n}, title={{T {n}}}, doi={{10.1000/{n}}}, "
            f"eprint={{2103.{n:05d}}}}}\n"
            for n in range(count)
        )

    # The session, the user, her permissions (2), one query matching the
    # entries' keys, DOIs and arXiv ids against the sources, and the header's
    # counts of notifications and pending proposals.
    with django_assert_max_num_queries(7):
        assert preview(mod_client, bibliography(3)).status_code == 200
    with django_assert_max_num_queries(7):
        response = preview(mod_client, bibliography(300))
    assert set(outcomes(response).values()) == {"create"}
