"""The shared browser fixtures fail a test on a Content Security Policy violation: this proves that
Chromium reports one on the console where `watch_csp` listens, so the guard cannot silently pass."""

from __future__ import annotations

from open12348.portal.tests.browser.fixtures import watch_csp

STRICT = "default-src 'self'; script-src 'self'; style-src 'self'"


def test_an_inline_script_and_style_are_reported(browser_context, live_url):
    seen: list[str] = []
    watch_csp(browser_context, seen)
    page = browser_context.new_page()
    page.route(f"{live_url}/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": STRICT},
        body='<!doctype html><p style="color: red">x</p><script>document.title = "ran"</script>'))
    page.goto(f"{live_url}/csp-probe")
    page.wait_for_load_state("load")
    assert page.title() != "ran"
    assert any("script-src" in text for text in seen), seen
    assert any("style-src" in text for text in seen), seen


def test_the_public_home_page_reports_nothing(browser_page, live_url):
    seen: list[str] = []
    watch_csp(browser_page, seen)
    browser_page.goto(f"{live_url}/")
    browser_page.wait_for_load_state("load")
    assert seen == []


def _signed_in(context, live_url, user) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_url}])


def test_the_dashboard_draws_its_charts_under_the_policy(browser_context, browser_page, live_url):
    # The charts are drawn by ECharts from a JSON <script> block; hovering shows a tooltip.
    from open12348.network.tests.factories import pingdingshan, staff_in

    _signed_in(browser_context, live_url, staff_in(pingdingshan()["city"], role="leader"))
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    browser_page.goto(f"{live_url}/dashboard/")
    browser_page.wait_for_selector("#chart-trend canvas")
    # Figures of its own, so that there is a tooltip to show whatever the test data holds.
    browser_page.evaluate("""() => echarts.getInstanceByDom(document.getElementById("chart-trend")).setOption({
        xAxis: {data: ["1月", "2月", "3月"]}, series: [{name: "x", type: "line", data: [3, 5, 4]}]})""")
    browser_page.evaluate("""() => echarts.getInstanceByDom(document.getElementById("chart-trend"))
        .dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1})""")
    browser_page.wait_for_timeout(500)
    # Shown, and drawn on the canvas (csp_guard fails the test if it was HTML with style attributes).
    assert browser_page.evaluate("""() => echarts.getInstanceByDom(document.getElementById("chart-trend"))
        .getOption().tooltip[0].renderMode""") == "richText"


def test_the_api_docs_and_the_admin_work_under_the_policy(browser_context, browser_page, live_url):
    from open12348.network.tests.factories import UserFactory

    browser_page.goto(f"{live_url}/api/docs/")
    browser_page.wait_for_selector(".swagger-ui .info .title")
    browser_page.wait_for_selector(".opblock-tag")
    admin = UserFactory(is_staff=True, is_superuser=True)
    _signed_in(browser_context, live_url, admin)
    browser_page.goto(f"{live_url}/admin/audit/auditevent/")
    browser_page.wait_for_selector("#changelist")
