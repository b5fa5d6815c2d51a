"""A demo organization of its own (the browser flows change it), served live with demo sign-in on."""

import pytest

from indexing.job import run_index
from service.app import build_context, create_app
from service.demo.generator import generate_demo, load_truth
from store.db import open_store
from store.importers.bundle import import_bundle
from store.keys import create_key
from store.settings import Settings
from tests.web.browser import chromium, live_server, missing_browser, screenshot_folder


@pytest.fixture(scope="session")
def web_demo(tmp_path_factory, encoder):  # type: ignore[no-untyped-def]
    """(settings, truth) of a freshly indexed small demo organization used only by the web tests."""
    home = tmp_path_factory.mktemp("web-demo")
    settings = Settings(home=home, web_demo_signin=True, _env_file=None)
    generate_demo(seed=7, size="small").write_bundle(home / "bundle")
    import_bundle(open_store(settings), home / "bundle")
    run_index(settings, encoder=encoder, progress=False)
    return settings, load_truth(home / "bundle" / "truth.json")


@pytest.fixture(scope="session")
def base_url(web_demo, encoder):  # type: ignore[no-untyped-def]
    """The URL of the demo app served on 127.0.0.1."""
    app = create_app(context=build_context(web_demo[0], encoder))
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def api_key(web_demo) -> str:  # type: ignore[no-untyped-def]
    """A reader key for checking the JSON API against what the pages show."""
    return create_key(open_store(web_demo[0]), name="web-test", role="reader")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Chromium, or a skip that says why none can run here."""
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    with chromium() as context:
        yield context


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh tab with no cookies."""
    browser.clear_cookies()
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Where the page screenshots are written."""
    return screenshot_folder(tmp_path_factory.mktemp("screenshots"))
