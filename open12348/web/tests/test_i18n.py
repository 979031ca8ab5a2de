from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "open12348/locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_the_public_site_speaks_simplified_chinese_by_default(client):
    page = client.get("/").content.decode()
    assert "找机构" in page
    assert "Find an institution" not in page


@pytest.mark.django_db
def test_an_english_interface_works(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "Find an institution" in page


def test_every_string_in_the_chinese_catalogue_is_translated():
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh, locale="zh_Hans")
    untranslated = [
        m.id for m in catalogue
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_chinese_until_the_user_chooses(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "找机构" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Find an institution" in client.get("/").content.decode()
