"""A real browser (Debian's Chromium, driven by Playwright) uses the site as a visitor would.
The screenshots are kept in artifacts/."""

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from aifashion.processes import REPO_DIR, manage, web_process
from tests.live import process_env
from tryon.stock import stock_names, stock_path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_DIR / "artifacts"


@pytest.fixture
def site(tmp_path):
    """The site as `bin/serve` runs it (SQLite, jobs in-process) with the served weights."""
    env = process_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"))
    manage(env, "migrate", "--noinput")
    with web_process(env, tmp_path / "web.log") as url:
        yield url


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000})
        yield context.new_page()
        browser.close()


def test_upload_a_photo_pick_a_pattern_and_download_the_result(site, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    photo = stock_path(stock_names()[0])
    page.goto(site + "/tryon/")
    page.set_input_files("input[name=photo]", str(photo))
    page.select_option("select[name=category]", "tartan")
    page.fill("input[name=seed]", "123")
    page.click("#tryon button[type=submit]")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    page.wait_for_load_state("networkidle")  # the result image has loaded
    page.screenshot(path=str(ARTIFACTS / "e2e-tryon.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("#dl-result")
    saved = tmp_path / "download.png"
    download_info.value.save_as(saved)
    result = Image.open(saved)
    assert result.format == "PNG" and result.size == Image.open(photo).size
    assert not page.is_visible("#error")


def test_pattern_studio_renders_a_tileable_preview_and_a_permalink(site, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/patterns/floral/?seed=77&scale=1.5")
    # data-seed is set once the pattern job is done (waits use selectors: the site's CSP forbids eval).
    page.wait_for_selector("#repeat[data-seed]", timeout=60_000)
    assert "/api/jobs/" in page.get_attribute("#repeat", "style")
    assert page.get_attribute("#repeat", "data-seed") == "77"
    assert "seed=77" in page.get_attribute("#permalink", "href")
    page.wait_for_selector("#fresh-grid img", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "e2e-studio.png"), full_page=True)


def test_studio_shows_a_live_thumbnail_for_every_category(site, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/")
    page.wait_for_selector(".categories .card:nth-child(13) img", timeout=90_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".categories img").count() == 13
    assert not page.is_visible("#error")
    page.screenshot(path=str(ARTIFACTS / "e2e-categories.png"), full_page=True)


def test_colourways_and_a_half_drop_print_from_the_editor(site, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/patterns/striped/?seed=5&repeat=half-drop")
    page.wait_for_selector("#repeat[data-seed]", timeout=60_000)
    assert "repeat=half-drop" in page.get_attribute("#permalink", "href")
    page.click("#show-colourways")
    page.wait_for_selector("#colourways .card:nth-child(4) img", timeout=90_000)
    page.locator("#colourways .card").nth(2).click()  # the third colourway goes into the editor
    assert page.is_checked("input[name=use_c1]")
    page.fill("#print-width", "2.54")
    page.select_option("#print-dpi", "150")
    with page.expect_download(timeout=90_000) as download_info:
        page.click("#download-print")
    saved = tmp_path / "print.png"
    download_info.value.save_as(saved)
    printed = Image.open(saved)
    assert printed.size == (300, 300) and round(printed.info["dpi"][0]) == 150
    assert not page.is_visible("#error")
    page.screenshot(path=str(ARTIFACTS / "e2e-colourways.png"), full_page=True)


def test_patterns_from_your_own_fabric_and_onto_a_photo(site, page):
    from models.fabric.evaluate import closeup_photos

    ARTIFACTS.mkdir(exist_ok=True)
    _, fabric_photo = closeup_photos(3)[2]
    page.goto(site + "/fabric/")
    page.set_input_files("#fabric input[name=photo]", str(fabric_photo))
    page.click("#fabric button[type=submit]")
    page.wait_for_selector("#fabric-result:not([hidden])", timeout=120_000)
    assert "This looks like" in page.inner_text("#fabric-category")
    assert page.locator("#fabric-variations img").count() == 4
    assert "/api/jobs/" in page.get_attribute("#fabric-repeat", "style")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "e2e-fabric.png"), full_page=True)
    page.click("#fabric-tile-tryon")
    page.wait_for_selector("#fabric-note:not([hidden])")
    page.locator("input[name=template]").first.check()
    page.click("#tryon button[type=submit]")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    assert not page.is_visible("#error")
