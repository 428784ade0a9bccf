"""A deployed image holds the repo and its weights, not ../shared/data: the site must serve
patterns and try-ons from the weights folder alone."""
import pytest

from models.garment_parser.groups import default_groups
from models.pattern_gan.taxonomy import categories
from tryon.stock import stock_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_training_data(tmp_path, monkeypatch):
    monkeypatch.setenv("AIFASHION_DATA_DIR", str(tmp_path / "absent"))
    # Earlier tests may have cached groups.json and taxonomy.json: forget them both ways.
    default_groups.cache_clear()
    categories.cache_clear()
    yield
    default_groups.cache_clear()
    categories.cache_clear()


def test_pages_health_patterns_and_tryon_need_only_the_weights(client, django_capture_on_commit_callbacks,
                                                               no_training_data):
    with pytest.raises(FileNotFoundError):
        default_groups()  # the data really is out of reach
    studio = client.get("/")
    assert studio.status_code == 200
    assert all(f'/patterns/{name}/' in studio.content.decode() for name in ("argyle", "zigzag", "solid"))
    assert client.get("/healthz").json()["models"] == "ok (13 pattern categories)"

    with django_capture_on_commit_callbacks(execute=True):
        pattern = client.post("/api/patterns", {"category": "tartan", "seed": "3", "size": "128"})
        tryon = client.post("/api/tryon", {"template": stock_names()[0], "category": "floral", "seed": "1"})
    for response in (pattern, tryon):
        assert response.status_code == 202, response.content
        job = client.get(response.json()["status_url"]).json()
        assert job["status"] == "done", job["error"]
