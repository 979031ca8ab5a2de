"""Browser tests of the video call: real Chromium pages with fake camera and microphone, talking to
each other through the platform's signalling, served by uvicorn (pytest-django's live server
speaks no WebSocket).

Run them alone: `pytest -m browser open12348/video`.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from open12348.portal.tests.browser.fixtures import inject_axe

CHROMIUM = Path(os.environ.get("PORTAL_BROWSER", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
                 "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required"]


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def asgi_application():
    """The project's ASGI application as config/asgi.py builds it, without switching settings."""
    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.core.asgi import get_asgi_application

    from config.routing import websocket_urlpatterns

    return ProtocolTypeRouter({
        "http": get_asgi_application(),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    })


@pytest.fixture
def asgi_url(transactional_db) -> Iterator[str]:
    """uvicorn serving the project (HTTP and WebSocket) on a free port, in a thread of this process."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(asgi_application(), host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)



@pytest.fixture
def chromium(playwright_session) -> Iterator:
    """A Chromium with a fake camera and microphone, from the session's one Playwright (the shared
    browser fixtures in open12348/portal/tests/browser/fixtures.py start it)."""
    from django.db import connections

    # Playwright's event loop in this thread makes Django's context-local connections two: each is
    # closed in its own context, or PostgreSQL's test database stays busy at teardown.
    connections.close_all()
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    connections.close_all()


SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE_JS = Path(settings.BASE_DIR) / "var" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_check():
    """axe_check(page) is the list of WCAG 2.1 A/AA violations axe-core finds on the page."""
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run scripts/install-browser.sh to fetch axe-core")

    def check(page, *, within: str | None = None) -> list[dict]:
        inject_axe(page)  # not add_script_tag: the site's Content Security Policy refuses inline scripts
        result = page.evaluate("([tags, within]) => axe.run(within ? document.querySelector(within) : document,"
                               " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                               [WCAG_TAGS, within])
        return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

    return check


@pytest.fixture
def shot(request):
    """shot(page, "name") saves var/screenshots/<test>/<name>.png (to look at what the test saw)."""
    folder = SCREENSHOTS / request.node.name[:80]
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def page_as(chromium, asgi_url, csp_guard):
    """page_as(user) is a new page signed in as `user` (its session cookie injected); page_as(None) anonymous."""
    contexts = []

    def make(user=None, *, viewport=None):
        context = chromium.new_context(viewport=viewport or {"width": 1024, "height": 768}, locale="zh-CN",
                                       timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                  "url": asgi_url}])
        contexts.append(context)
        csp_guard(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and print("browser console:", message.text))
        return page

    yield make
    for context in contexts:
        context.close()
