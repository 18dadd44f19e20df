"""Downloads: listed, built on demand when missing, served as attachments."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from tests.conftest import WEB_COURSE


@pytest.fixture
def app(make_app):
    return make_app(root=WEB_COURSE)


def test_index_lists_decks_guides_and_lms_exports(app):
    html = app.test_client().get("/telechargements/").get_data(as_text=True)
    for name in ("theme-1.pptx", "theme-2.pptx", "theme-1-guide.docx", "final.gift"):
        assert f">{name}</a>" in html
    assert "construit à la demande" in html


def test_a_missing_lms_export_is_built_on_demand(app):
    target = Path(app.config["BUILD_DIR"]) / "lms" / "theme-2.gift"
    assert not target.exists()
    with app.test_client().get("/telechargements/lms/theme-2.gift") as response:
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert target.is_file()
        assert response.data == target.read_bytes()
        assert "Quel processus est mondial" in response.get_data(as_text=True)
    listing = app.test_client().get("/telechargements/").get_data(as_text=True)
    assert "Ko" in listing  # its size is shown now that it exists


def test_a_missing_deck_is_built_on_demand(app):
    with app.test_client().get("/telechargements/diaporamas/theme-2.pptx") as response:
        assert response.status_code == 200
        data = response.data
    with zipfile.ZipFile(BytesIO(data)) as deck:
        assert "ppt/presentation.xml" in deck.namelist()
    guide = Path(app.config["BUILD_DIR"]) / "guides" / "theme-2-guide.docx"
    assert guide.is_file()  # the same build wrote the guides


@pytest.mark.parametrize(
    "url",
    [
        "/telechargements/diaporamas/theme-9.pptx",
        "/telechargements/secrets/theme-1.pptx",
        "/telechargements/lms/..%2F..%2Finstance%2Fsecret_key",
    ],
)
def test_only_listed_files_can_be_downloaded(app, url):
    assert app.test_client().get(url).status_code == 404
