"""Removing personal details before publishing: examples, and properties over generated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from open12348.consult.scrub import (
    ADDRESS_MARK,
    CARD_MARK,
    ID_MARK,
    PHONE_MARK,
    remaining_sure_details,
    scrub,
)
from open12348.core.idnumber import check_digit


@pytest.mark.parametrize(("text", "expected", "kinds"), [
    ("我叫张三，电话13803751234。", "我叫张某，电话[电话]。", {"name", "phone"}),
    ("手机号 138 0375 1234 或 +86 139-1234-5678", "手机号 [电话] 或 [电话]", {"phone"}),
    ("座机0375-2345678转123", "座机[电话]", {"phone"}),
    ("身份证410403198503171234，旧证410403850317123", f"身份证{ID_MARK}，旧证{ID_MARK}", {"id_number"}),
    ("工资卡6222 0212 3456 7890 123", f"工资卡{CARD_MARK}", {"bank_card"}),
    ("发到 zhang.san@qq.com 吧", "发到 [邮箱] 吧", {"email"}),
    ("撞我的车是豫D12345", "撞我的车是[车牌号]", {"plate"}),
    ("我住在建设路100号3单元201室。", f"我住在{ADDRESS_MARK}。", {"address"}),
    ("家住叶县廉村镇孙庄村3组，邻居刘大海占了宅基地。", f"家住{ADDRESS_MARK}，邻居刘某占了宅基地。", {"address", "name"}),
    ("我老公欧阳明打我", "我老公欧阳某打我", {"name"}),
    ("咨询过李秀英律师，她说可以。", "咨询过李某律师，她说可以。", {"name"}),
    ("被告王德洲欠款不还", "被告王某欠款不还", {"name"}),
])
def test_examples(text, expected, kinds):
    result = scrub(text)
    assert result.text == expected
    assert set(result.found) == kinds


@pytest.mark.parametrize("text", [
    "农民工被拖欠工资怎么办？我是农民工，在工地干了三个月。",
    "我在高新区律师事务所咨询过，说要先仲裁。",
    "2024年3月5日签的合同，欠款3万元，利息12348元。",
    "根据《法律援助法》第三十二条，不受经济困难条件限制。",
])
def test_ordinary_sentences_are_left_alone(text):
    result = scrub(text)
    assert result.text == text and not result.changed


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
FILLER = st.text(alphabet=st.one_of(HAN, st.sampled_from("，。？！ ")), max_size=30)


@st.composite
def mobiles(draw) -> str:
    number = "1" + draw(st.sampled_from("3456789")) + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    style = draw(st.sampled_from(["plain", "spaced", "dashed", "prefixed"]))
    if style == "spaced":
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == "dashed":
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == "prefixed":
        return "+86" + number
    return number


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(["410402", "410403", "410422", "110101"]))
    birth = draw(st.dates(min_value=__import__("datetime").date(1930, 1, 1),
                          max_value=__import__("datetime").date(2024, 12, 31)))
    serial = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{region}{birth:%Y%m%d}{serial}"
    return first17 + check_digit(first17)


@settings(max_examples=200, deadline=None)
@given(before=FILLER, after=FILLER, phone=mobiles())
def test_no_mobile_number_survives(before, after, phone):
    result = scrub(before + phone + after)
    assert PHONE_MARK in result.text
    assert remaining_sure_details(result.text) == []
    assert phone.replace(" ", "").replace("-", "")[-8:] not in result.text.replace(" ", "").replace("-", "")


@settings(max_examples=200, deadline=None)
@given(before=FILLER, after=FILLER, id_number=id_numbers())
def test_no_id_number_survives(before, after, id_number):
    result = scrub(f"{before}身份证号{id_number}{after}")
    assert ID_MARK in result.text and id_number not in result.text
    assert remaining_sure_details(result.text) == []


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.one_of(HAN, st.sampled_from("0123456789 -，。叫被告老板先生路号村组室")), max_size=80))
def test_scrubbing_twice_changes_nothing_more(text):
    once = scrub(text).text
    assert scrub(once).text == once
    assert remaining_sure_details(once) == []
