"""Fixtures of the legal education tests: the 平顶山 slice with editors and reviewers at the city,
卫东区 and 新华区, and a helper that writes an article's content."""

from __future__ import annotations

import datetime as dt

import pytest

from open12348.network.tests.factories import pingdingshan, staff_in


@pytest.fixture
def world(db) -> dict:
    regions = pingdingshan()
    return {
        "regions": regions,
        "city_admin": staff_in(regions["city"], role="bureau_admin", username="city_admin"),
        "city_director": staff_in(regions["city"], role="director", username="city_director"),
        "wd_director": staff_in(regions["weidong"], role="director", username="wd_director"),
        "wd_editor": staff_in(regions["weidong"], role="station_staff", username="wd_editor"),
        "xh_director": staff_in(regions["xinhua"], role="director", username="xh_director"),
        "wd_window": staff_in(regions["weidong"], role="window_staff", username="wd_window"),
    }


def content(region, **overrides) -> dict:
    data = {
        "title": "农民工被拖欠工资怎么办",
        "summary": "用人单位拖欠工资，可以先协商，再向劳动保障监察投诉或申请劳动仲裁，符合条件的可申请法律援助。",
        "body": "第一步，保存好工资条、考勤记录、聊天记录等证据。\n\n第二步，向劳动保障监察机构投诉，或申请劳动争议仲裁。",
        "topic": "wages",
        "audiences": ["migrant_workers"],
        "legal_basis": "《保障农民工工资支付条例》第三条\n《中华人民共和国法律援助法》第三十一条",
        "next_step": "apply",
        "next_step_note": "农民工申请支付劳动报酬的法律援助，免予核查经济困难状况。",
        "region": region,
        "last_checked": None,
    }
    data.update(overrides)
    return data


@pytest.fixture
def published(world):
    """A 卫东区 article written by the editor and published by the director."""
    from open12348.education import services

    article = services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"]))
    services.article_transition(actor=world["wd_editor"], article=article, action="submit")
    return services.article_transition(actor=world["wd_director"], article=article, action="publish")


def days_ago(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=n)
