"""A demo organization of its own (the browser flows change it), served live with demo sign-in on."""

import pytest

from service.app import build_context, create_app
from store.db import open_store
from store.keys import create_key
from store.settings import Settings
from tests.demo_home import indexed_demo
from tests.web.browser import chromium, live_server, missing_browser, screenshot_folder


@pytest.fixture(scope="session")
def web_demo(tmp_path_factory, encoder):  # type: ignore[no-untyped-def]
    """(settings, truth) of a freshly indexed small demo organization used only by the web tests
    (load spreading off, as for the API's shared client)."""
    home = tmp_path_factory.mktemp("web-demo")
    settings = Settings(home=home, web_demo_signin=True, load_spreading=False, _env_file=None)
    return settings, indexed_demo(settings, encoder)


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


@pytest.fixture(scope="package")
def browser():  # type: ignore[no-untyped-def]
    """Chromium, or a skip that says why none can run here; closed after the web tests, since
    Playwright's sync API keeps an event loop running in the main thread until it stops (a later
    test's asyncio.run would fail)."""
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
