"""External identifiers (wiki/identifiers.py): checked as typed, kept alone
when pasted as an address, unique, shown as links and written in JSON-LD."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from people.models import Person
from tests.factories import OrganizationFactory, PersonFactory, WorkFactory
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.identifiers import (
    SCHEMES,
    arxiv_validator,
    doi_validator,
    validate_orcid,
    validate_ror,
    validate_wikidata,
)
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_orcid, "0000-0002-1825-0097"),
        (validate_orcid, "0000-0001-5109-3700"),
        (validate_orcid, "0000-0002-1694-233X"),
        (validate_ror, "00f54p054"),
        (validate_ror, "03vek6s52"),
        (validate_wikidata, "Q42"),
        (doi_validator, "10.1145/3442188.3445922"),
        (arxiv_validator, "2103.00020v2"),
        (arxiv_validator, "hep-th/9901001"),
    ],
)
def test_valid_identifiers_pass(validator, value):
    validator(value)


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_orcid, "0000-0002-1825-0098", "its last character, the checksum"),
        (validate_orcid, "0000-0002-1825-009", "four groups of four digits"),
        (validate_ror, "00f54p055", "its last two digits, the checksum"),
        (validate_ror, "10f54p054", "9 characters starting with 0"),
        (validate_ror, "00f54p0i4", "9 characters starting with 0"),  # no i
        (validate_wikidata, "Q042", "Q and a number"),
        (validate_wikidata, "P31", "Q and a number"),
        (doi_validator, "10.12/x", "A DOI looks like"),
        (arxiv_validator, "2113.00020", "An arXiv identifier looks like"),
    ],
)
def test_invalid_identifiers_are_refused_with_the_reason(validator, value, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validator(value)


@pytest.mark.parametrize(
    ("scheme", "typed", "kept"),
    [
        ("orcid", "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("doi", "https://doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("doi", "doi:10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("arxiv", "arXiv:2103.00020", "2103.00020"),
        ("arxiv", "https://arxiv.org/abs/2103.00020", "2103.00020"),
        ("wikidata", "https://www.wikidata.org/wiki/Q42", "Q42"),
        ("ror", "https://ror.org/00F54P054", "00f54p054"),
    ],
)
def test_a_pasted_address_keeps_the_identifier_alone(scheme, typed, kept):
    assert SCHEMES[scheme].clean(f"  {typed} ") == kept


@pytest.fixture
def ada(db):
    person = PersonFactory.build(title="Ada Lovelace", slug="ada-lovelace")
    page_publish(page=person, user=None, summary="Create")
    return person


def test_a_person_s_identifiers_are_links_and_json_ld(client, ada, moderator):
    client.force_login(moderator)
    response = client.post(
        edit_url(ada),
        edit(
            ada,
            orcid="https://orcid.org/0000-0002-1825-0097",
            wikidata="Q7259",
            homepage="https://ada.example/",
        ),
    )
    assert response.status_code == 302
    ada = Person.objects.get(pk=ada.pk)
    assert (ada.orcid, ada.wikidata) == ("0000-0002-1825-0097", "Q7259")
    html = client.get(ada.get_absolute_url()).content.decode()
    assert (
        '<dt>ORCID</dt><dd><a href="https://orcid.org/0000-0002-1825-0097" '
        'rel="nofollow noopener">0000-0002-1825-0097</a></dd>' in html
    )
    assert (
        '<dt>Wikidata</dt><dd><a href="https://www.wikidata.org/wiki/Q7259" '
        'rel="nofollow noopener">Q7259</a></dd>' in html
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["sameAs"] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://www.wikidata.org/wiki/Q7259",
        "https://ada.example/",
    ]
    assert data["identifier"] == [
        {
            "@type": "PropertyValue",
            "propertyID": "ORCID",
            "value": "0000-0002-1825-0097",
        },
        {"@type": "PropertyValue", "propertyID": "Wikidata", "value": "Q7259"},
    ]


def test_a_mistyped_orcid_is_refused_and_the_form_kept(client, ada, moderator):
    client.force_login(moderator)
    response = client.post(
        edit_url(ada), edit(ada, orcid="0000-0002-1825-0098", body="Kept text.")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "0000-0002-1825-0098 is not an ORCID iD: its last character" in html
    assert "Kept text." in html
    assert Person.objects.get(pk=ada.pk).orcid == ""


def test_an_identifier_another_page_has_is_refused(client, ada, moderator):
    other = PersonFactory.build(
        title="Grace Hopper", slug="grace-hopper", orcid="0000-0002-1825-0097"
    )
    page_publish(page=other, user=None, summary="Create")
    client.force_login(moderator)
    response = client.post(edit_url(ada), edit(ada, orcid="0000-0002-1825-0097"))
    assert response.status_code == 400
    assert "Another person has this ORCID iD." in response.content.decode()


def test_a_work_s_doi_and_arxiv_id(client, moderator):
    work = WorkFactory.build(title="CLIP", slug="clip")
    page_publish(page=work, user=None, summary="Create")
    client.force_login(moderator)
    response = client.post(
        edit_url(work),
        edit(
            work,
            doi="https://doi.org/10.48550/arXiv.2103.00020",
            arxiv_id="arXiv:2103.00020",
        ),
    )
    assert response.status_code == 302
    html = client.get(work.get_absolute_url()).content.decode()
    assert 'href="https://doi.org/10.48550/arXiv.2103.00020"' in html
    assert 'href="https://arxiv.org/abs/2103.00020"' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert [i["propertyID"] for i in data["identifier"]] == ["DOI", "arXiv"]


def test_an_organization_s_ror_and_wikidata(client, moderator):
    stanford = OrganizationFactory.build(title="Stanford University", slug="stanford")
    page_publish(page=stanford, user=None, summary="Create")
    client.force_login(moderator)
    response = client.post(
        edit_url(stanford),
        edit(stanford, ror="https://ror.org/00f54p054", wikidata="Q41506"),
    )
    assert response.status_code == 302
    html = client.get(stanford.get_absolute_url()).content.decode()
    assert 'href="https://ror.org/00f54p054"' in html
    assert 'href="https://www.wikidata.org/wiki/Q41506"' in html


def test_the_form_has_room_for_a_pasted_address(client, ada, moderator):
    """A browser stops typing at the input's maxlength: an ORCID's address is
    37 characters, its iD 19."""
    client.force_login(moderator)
    html = client.get(edit_url(ada)).content.decode()
    box = re.search(r'<input type="text" name="orcid"[^>]*>', html)[0]
    assert 'maxlength="255"' in box


def test_an_over_long_identifier_is_refused(client, ada, moderator):
    client.force_login(moderator)
    response = client.post(edit_url(ada), edit(ada, wikidata="Q" + "1" * 30))
    assert response.status_code == 400
    assert Person.objects.get(pk=ada.pk).wikidata == ""
