"""Browser-test fixtures every app shares (a pytest plugin: the root conftest.py loads it, so that
one Playwright and one Chromium serve the whole session, whichever apps' browser tests run).

The tests drive Debian's Chromium (/usr/bin/chromium) with Playwright for Python, at a phone's size
by default, against pytest-django's live server, and check pages with axe-core
(var/axe-core/axe.min.js). `scripts/install-browser.sh` installs all three; without them every
browser test is skipped with a message saying so. Run them alone with `pytest -m browser`.

    def test_something(browser_page, live_url, shot, axe_check, citizen_login):
        citizen_login(browser_page, "13803751234")
        browser_page.goto(live_url + "/portal/")
        shot("home")                                   # var/screenshots/<test>/01-home.png
        assert axe_check(browser_page) == []           # WCAG 2.1 A and AA rules

An app that needs a browser launched differently (fake camera and microphone, say) launches it from
`playwright_session`: Playwright's sync API allows one instance per thread.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from open12348.notifications import backends

CHROMIUM = Path(os.environ.get("PORTAL_BROWSER", "/usr/bin/chromium"))
AXE_JS = Path(settings.BASE_DIR) / "var" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE_VIEWPORT = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CODE_IN_SMS = re.compile(r"(?<!\d)(\d{6})(?!\d)")



def _missing() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run scripts/install-browser.sh to install Debian's Chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: run scripts/install-browser.sh"
    return ""


@pytest.fixture(scope="session")
def playwright_session() -> Iterator:
    """The session's one Playwright (sync API), started when the first browser test needs it."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run in a thread
    # with a loop unless told that this is safe, which it is here: the test code itself is synchronous.
    # Set only while a browser is up, so that other tests still catch real async-unsafe calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _playwright_browser(playwright_session) -> Iterator:
    browser = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), headless=True,
        # Root in a container has no user namespaces for Chromium's sandbox.
        args=["--no-sandbox", "--disable-dev-shm-usage", "--font-render-hinting=none"],
    )
    yield browser
    browser.close()


@pytest.fixture
def live_url(live_server, settings) -> str:
    # The waiting question's page polls for the answer every second instead of every 20.
    settings.PORTAL_POLL_SECONDS = 1
    return live_server.url


@pytest.fixture
def browser_context(_playwright_browser, live_url) -> Iterator:
    context = _playwright_browser.new_context(
        viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
        timezone_id="Asia/Shanghai",
        user_agent="Mozilla/5.0 (Linux; Android 12; Phone) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0",
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


CSP_MESSAGE = "Content Security Policy"


def watch_csp(target, into: list[str]) -> None:
    """Collect into `into` every Content Security Policy violation the browser reports on the console
    of `target` (a page, or a context: then every page of it). Chromium reports each blocked inline
    script, handler, style or eval there ("Refused to ... because it violates the following Content
    Security Policy directive ...")."""
    target.on("console", lambda message: into.append(message.text) if CSP_MESSAGE in message.text else None)


@pytest.fixture
def csp_guard() -> Iterator[Callable[..., None]]:
    """csp_guard(context_or_page) fails the test if any page of it reports a CSP violation.

    `browser_page` already watches its context; a test that launches its own browser (the video
    calls) watches its contexts with this fixture."""
    violations: list[str] = []
    yield lambda target: watch_csp(target, violations)
    if violations:
        pytest.fail("Content Security Policy violations in the browser console:\n" + "\n".join(violations[:10]))


@pytest.fixture
def browser_page(browser_context, csp_guard):
    csp_guard(browser_context)
    return browser_context.new_page()


@pytest.fixture
def empty_outbox() -> Iterator[None]:
    """No text message of an earlier test is in the outbox (the SMS-code pages read it)."""
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def shot(request, browser_page) -> Callable[..., Path]:
    """shot("step-name") saves a full-page screenshot as var/screenshots/<test>/<NN>-<step-name>.png."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    counter = {"n": 0}

    def take(name: str, page=None) -> Path:
        counter["n"] += 1
        safe = re.sub(r"[^\w.-]+", "_", name)
        path = folder / f"{counter['n']:02d}-{safe}.png"
        (page or browser_page).screenshot(path=str(path), full_page=True)
        return path

    return take


def inject_axe(page) -> None:
    """Load axe-core into the page. Through the DevTools protocol, not a <script> tag: the site's
    Content Security Policy (rightly) refuses inline scripts, and the test must not relax it."""
    page.evaluate(f"() => {{ {AXE_JS.read_text(encoding='utf-8')}\n}}")


@pytest.fixture
def axe_check() -> Callable[..., list[dict]]:
    """axe_check(page) runs axe-core's WCAG 2.1 A/AA rules on the page; returns the violations."""
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run scripts/install-browser.sh to fetch axe-core")

    def check(page, *, exclude: list[str] | None = None) -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            inject_axe(page)
        context = {"exclude": [[s] for s in exclude]} if exclude else "document"
        result = page.evaluate(
            "([context, tags]) => axe.run(context === 'document' ? document : context,"
            " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            [context, WCAG_TAGS],
        )
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

    return check


def sms_code_for(phone: str) -> str:
    """The code in the newest text message to `phone` (the live server runs in this process)."""
    for message in reversed(backends.outbox):
        if message.to == phone:
            match = CODE_IN_SMS.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no code was sent to {phone}")


@pytest.fixture
def citizen_login(live_url) -> Callable[..., None]:
    """citizen_login(page, phone, next_path="/portal/") proves `phone` through the real SMS-code pages."""

    def login(page, phone: str, next_path: str = "/portal/", *, shot: Callable | None = None) -> None:
        page.goto(f"{live_url}/portal/verify/?next={next_path}")
        page.locator("#id_phone").fill(phone)
        page.locator("#id_agree").check()
        if shot:
            shot("phone-number")
        page.get_by_role("button", name=re.compile("发送验证码|Send me a code")).click()
        page.wait_for_url(re.compile(r"/portal/verify/code/"))
        page.locator("#id_code").fill(sms_code_for(phone))
        if shot:
            shot("sms-code")
        page.get_by_role("button", name=re.compile("^(确认|Confirm)$")).click()
        # Back where the citizen was going (which may itself send them on, e.g. to a consent page).
        page.wait_for_url(lambda url: "/portal/verify" not in url)

    return login
