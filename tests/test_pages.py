"""The server-rendered pages."""
import pytest

pytestmark = pytest.mark.django_db


def test_studio_lists_all_categories(client):
    response = client.get("/")
    assert response.status_code == 200
    for name in ("argyle", "houndstooth", "zigzag", "solid"):
        assert f'data-thumbnail="{name}"' in response.content.decode()


def test_category_page_and_unknown_category(client):
    assert client.get("/patterns/tartan/").status_code == 200
    assert client.get("/patterns/plaid/").status_code == 404


def test_tryon_page_offers_stock_photos_and_garments(client):
    page = client.get("/tryon/").content.decode()
    assert page.count('name="template"') >= 6
    for garment in ("top", "outerwear", "bottom", "dress"):
        assert f'value="{garment}"' in page
    assert "csrfmiddlewaretoken" in page


def test_pages_use_no_external_assets(client):
    for url in ("/", "/patterns/floral/", "/tryon/"):
        page = client.get(url).content.decode()
        assert "http://" not in page and "https://" not in page
