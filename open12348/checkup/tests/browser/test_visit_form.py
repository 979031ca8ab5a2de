"""On a tablet: sign in as the township's staff, tick the check-list, save, and see the visit."""

import pytest
from django.conf import settings
from django.test import Client

from open12348.checkup.models import Visit
from open12348.checkup.tests.factories import code, world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_check_list_works_with_touch_on_a_tablet(browser_context, browser_page, live_url, shot):
    data = world()
    client = Client()
    client.force_login(data["station"])
    browser_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                  "url": live_url}])
    page = browser_page
    page.goto(f"{live_url}/checkups/campaigns/{data['campaign'].pk}/visits/new/")
    page.fill("#id_enterprise_name", "平顶山市鹰城建筑劳务有限公司")
    page.fill("#id_credit_code", code(1))
    page.select_option("#id_region", str(data["regions"]["weidong_township"].pk))
    page.fill("#id_visited_on", "2026-03-10")
    page.fill("#id_workers_interviewed", "12")
    detail = page.locator('[data-item="overtime_pay"] .detail')
    assert not detail.is_visible()
    page.locator("#id_overtime_pay-found").tap()
    assert detail.is_visible()
    page.fill("#id_overtime_pay-workers_affected", "4")
    page.fill("#id_overtime_pay-note", "节假日加班未付加班费")
    box = page.locator("#id_overtime_pay-found").bounding_box()
    assert box["width"] >= 40 and box["height"] >= 24  # a switch a finger can hit
    shot("form", page)
    page.get_by_role("button", name="保存").or_(page.get_by_role("button", name="Save")).click()
    errors = page.locator(".invalid-feedback, [data-form-error]").all_inner_texts()
    assert not errors, errors
    page.wait_for_selector("[data-timeline]")
    shot("visit", page)
    visit = Visit.objects.get()
    assert visit.status == "visited"
    assert visit.findings.get(kind="overtime_pay").workers_affected == 4
