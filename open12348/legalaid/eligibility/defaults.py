"""The default rule layers and thresholds, as the JSON data an administrator edits.

- PRC-LAA-2021: the Legal Aid Law (in force 2022-01-01), Art. 24–26, 28, 29, 31–33, 42.
- HA-2010: Henan's 2010 regulation (economic standard = 低保, Art. 12; extra scope of Art. 11(4)),
  until the new regulation replaced it on 2026-01-01.
- HA-2026: Henan's new regulation (single urban-rural standard), from 2026-01-01.
- PDS-GC: Pingdingshan's six green channels (RULES.md §11).

Thresholds are DEMO figures to be replaced by the official ones; their sources say so.
`default_layers()` and `default_thresholds()` return fresh copies, safe to change.
"""

from __future__ import annotations

import copy
from typing import Any

from .codes import LAA, MATTER_INFO
from .rules import RuleBook

_LAA_DOC = LAA


def _article(code: str) -> str:
    return MATTER_INFO[code].article.removeprefix(LAA)


def _scope(code: str, *, economic: str, extra_when: dict | None = None, note: str = "") -> dict[str, Any]:
    info = MATTER_INFO[code]
    return {
        "code": code,
        "title": info.term_zh,
        "source": {"document": _LAA_DOC, "article": _article(code), "verification": "V"},
        "when": {"matters": [code], **(extra_when or {})},
        "then": {"scope": True, "economic": economic},
        "note": note,
    }


_NOTIFIED = ("CR-N-MINOR", "CR-N-SENSORY", "CR-N-IMPAIRED", "CR-N-LIFE-DEATH", "CR-N-DEATH-REVIEW",
             "CR-N-ABSENTIA", "CR-N-OTHER", "CR-N-DISCRETIONARY", "CM-N-FORCED-MED")

PRC_LAA_2021: dict[str, Any] = {
    "schema": 1,
    "code": "PRC-LAA-2021",
    "title": "中华人民共和国法律援助法",
    "level": "national",
    "region_code": "",
    "effective_from": "2022-01-01",
    "effective_to": None,
    "version": 1,
    "source": {"document": _LAA_DOC, "article": "", "verification": "V",
               "note": "2021年8月20日第十三届全国人大常委会第三十次会议通过，自2022年1月1日起施行（第七十一条）。"},
    "note": "National law: every other layer adds to it and none narrows it.",
    "rules": [
        *[_scope(code, economic="not_required",
                 note="Art. 25/28: the court, procuratorate or police must (for CR-N-DISCRETIONARY: may) notify; "
                      "no application and no economic condition.")
          for code in _NOTIFIED],
        {
            "code": "LAA-26",
            "title": "可能被判处无期徒刑、死刑的人及死刑复核案件被告人：指派具有三年以上相关执业经历的律师",
            "source": {"document": _LAA_DOC, "article": "第二十六条", "verification": "V"},
            "when": {"matters": ["CR-N-LIFE-DEATH", "CR-N-DEATH-REVIEW"]},
            "then": {"routing": ["experienced_defender"]},
        },
        _scope("CR-A-DEF", economic="required",
               note="Art. 24 '因经济困难或者其他原因': the economic test applies unless an exemption rule in force "
                    "covers the 'other reason' (see docs/eligibility.md)."),
        _scope("CR-A-VICTIM", economic="required"),
        *[_scope(f"CV-0{n}", economic="required") for n in range(1, 9)],
        *[_scope(f"NM-0{n}", economic="not_required") for n in range(1, 5)],
        _scope("PET-RETRIAL", economic="required", extra_when={"circumstances_all": ["retrial_ordered"]},
               note="Only once the court has decided or ruled to retry, or the procuratorate has protested."),
        {
            "code": "EX-01",
            "title": "无固定生活来源的未成年人、老年人、残疾人等特定群体",
            "source": {"document": _LAA_DOC, "article": "第四十二条第（一）项", "verification": "V"},
            "when": {"matters": ["*"], "groups_all": ["no_fixed_income"],
                     "groups_any": ["minor", "elderly", "disabled"]},
            "then": {"economic": "exempt"},
            "note": "Verification waived on proof of status (免予核查).",
        },
        {
            "code": "EX-02",
            "title": "社会救助、司法救助或者优抚对象",
            "source": {"document": _LAA_DOC, "article": "第四十二条第（二）项", "verification": "V"},
            "when": {"matters": ["*"], "groups_any": ["social_assistance", "judicial_assistance", "military_benefit"]},
            "then": {"economic": "exempt"},
        },
        {
            "code": "EX-03",
            "title": "申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员",
            "source": {"document": _LAA_DOC, "article": "第四十二条第（三）项", "verification": "V"},
            "when": {"matters": ["CV-05.wages", "CV-07.work_injury"], "groups_any": ["migrant_worker"]},
            "then": {"economic": "exempt"},
        },
    ],
}

_HA_2010_DOC = "《河南省法律援助条例》（2002年通过，2010年7月30日修正）"

HA_2010: dict[str, Any] = {
    "schema": 1,
    "code": "HA-2010",
    "title": "河南省法律援助条例（2010年修正）",
    "level": "province",
    "region_code": "41",
    "effective_from": "2010-07-30",
    "effective_to": "2025-12-31",
    "version": 1,
    "source": {"document": _HA_2010_DOC, "verification": "V",
               "note": "Replaced by the new regulation on 2026-01-01. Effective date taken as the day of the "
                       "2010 amending decision [R]."},
    "rules": [
        {
            "code": "HA-2010-ART12",
            "title": "经济困难标准参照法律援助实施地人民政府规定的最低生活保障标准执行",
            "source": {"document": _HA_2010_DOC, "article": "第十二条第二款", "verification": "V",
                       "note": "A 2010 gov.cn news item says the line was raised from 1.5x to 2x 低保 [S]; "
                               "the figure itself lives in the threshold table."},
            "when": {"matters": ["*"]},
            "then": {"standard": True},
        },
        {
            "code": "HA-2010-ART11-4",
            "title": "残疾人、未成年人、老年人、妇女维护自身合法权益的法律事项",
            "source": {"document": _HA_2010_DOC, "article": "第十一条第（四）项", "verification": "V"},
            "when": {"matters": ["CV-OTHER", "CV-09"], "groups_any": ["disabled", "minor", "elderly", "woman"]},
            "then": {"scope": True, "economic": "required"},
            "note": "Read as a provincial addition under Law Art. 31(9) while the 2010 regulation stayed in force "
                    "[R: reading, not confirmed by an official interpretation]. Economic hardship still required "
                    "(Art. 12).",
        },
    ],
}

_HA_2026_DOC = "《河南省法律援助条例》（2025年9月29日通过，2026年1月1日起施行）"

HA_2026: dict[str, Any] = {
    "schema": 1,
    "code": "HA-2026",
    "title": "河南省法律援助条例（2025年）",
    "level": "province",
    "region_code": "41",
    "effective_from": "2026-01-01",
    "effective_to": None,
    "version": 1,
    "source": {"document": _HA_2026_DOC, "verification": "S",
               "url": "https://www.hnfzb.com/pahn/yaowen/40416.html",
               "note": "Secondary sources only (hnfzb.com, fazhuwang.com.cn). The article number and the figure "
                       "were not found: check against the official text."},
    "rules": [
        {
            "code": "HA-2026-ECON",
            "title": "经济困难标准实行城乡一元制（统一城乡标准）",
            "source": {"document": _HA_2026_DOC, "article": "（条号待核）", "verification": "S",
                       "url": "https://www.hnfzb.com/pahn/yaowen/40416.html",
                       "note": "Single urban-rural standard. The amount is configurable in the threshold table "
                               "and UNVERIFIED until checked against the official text."},
            "when": {"matters": ["*"]},
            "then": {"standard": True},
        },
    ],
}

_PDS_DOC = "平顶山市法律援助“六心”绿色通道"
_NON_DEFENCE = ["@civil", "@administrative", "@non_litigation", "CR-A-VICTIM"]
_PRIORITY_READING = ("Priority read from 'green channel' (绿色通道) [R]; the city's text names 三优 "
                     "priority only for migrant workers.")


def _green(code: str, title: str, when: dict, then: dict, note: str = "") -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "source": {"document": _PDS_DOC, "article": f"（{title.split('：')[0]}）", "verification": "S"},
        "when": when,
        "then": then,
        "note": note,
    }


PDS_GC: dict[str, Any] = {
    "schema": 1,
    "code": "PDS-GC",
    "title": "平顶山市法律援助“六心”绿色通道",
    "level": "city",
    "region_code": "4104",
    "effective_from": "2023-01-01",
    "effective_to": None,
    "version": 1,
    "source": {"document": _PDS_DOC, "verification": "S",
               "note": "Local policy as summarised in RULES.md §11 [S]. The effective date (2023-01-01) is an assumption [R]: replace it with the date of the city's document. "
                       "Fee reductions for disabled and laid-off people are the courts' and notaries' matter, "
                       "not an eligibility rule."},
    "rules": [
        _green("GC-MIGRANT", "农民工：追索劳动报酬、工伤及人身损害赔偿免予经济困难审查，优先受理、优先指派、优先办理",
               {"matters": ["CV-05.wages", "CV-07"], "groups_any": ["migrant_worker"]},
               {"economic": "exempt", "priority": True},
               "Broader than EX-03: any CV-07 personal injury, not only work injury."),
        _green("GC-ELDERLY", "老年人：60周岁以上、“三无”及低保、特困供养老年人免予经济困难审查",
               {"matters": ["*"], "groups_any": ["elderly", "three_no_elderly"]},
               {"economic": "exempt", "priority": True},
               "Broader than EX-01: no 'no fixed income' condition. " + _PRIORITY_READING),
        _green("GC-WOMEN", "妇女：案件可指派妇女维权律师团办理",
               {"matters": _NON_DEFENCE, "groups_any": ["woman"]},
               {"routing": ["womens_rights_team"]},
               "Routing only; not applied to criminal defence."),
        _green("GC-MINOR", "未成年人：依托共青团系统设立未成年人法律援助工作站，开展进校园活动",
               {"matters": ["*"], "groups_any": ["minor"]},
               {"priority": True, "routing": ["minors_workstation"]},
               _PRIORITY_READING),
        _green("GC-DISABLED", "残疾人：在乡镇司法所设立工作站，提供上门服务",
               {"matters": ["*"], "groups_any": ["disabled"]},
               {"priority": True, "routing": ["township_workstation", "home_visit"]},
               _PRIORITY_READING),
        _green("GC-MILITARY", "军人军属：全覆盖，免予经济困难审查，不受法律援助事项范围限制",
               {"matters": ["*"], "groups_any": ["military", "military_family"]},
               {"scope": True, "economic": "not_required", "priority": True},
               "Scope is not limited to the listed matters (CV-OTHER, unlisted CV-09 or NM-05 sub-matters). "
               + _PRIORITY_READING),
    ],
}

_DEMO = ("DEMO value, to be replaced by the official figure published for the region and period "
         "(Law Art. 34: set by the province, adjusted over time).")


def _threshold(region: str, amount: str, start: str, end: str | None, document: str) -> dict[str, Any]:
    return {"region_code": region, "monthly_amount": amount, "effective_from": start, "effective_to": end,
            "source": {"document": document, "verification": "R", "note": _DEMO}}


THRESHOLDS: list[dict[str, Any]] = [
    _threshold("41", "500.00", "2010-07-30", "2021-12-31", "演示数据：河南省最低生活保障标准（参照）"),
    _threshold("41", "700.00", "2022-01-01", "2025-12-31", "演示数据：河南省最低生活保障标准（参照）"),
    _threshold("41", "1000.00", "2026-01-01", None, "演示数据：河南省城乡统一经济困难标准"),
    _threshold("4104", "1100.00", "2026-01-01", None, "演示数据：平顶山市经济困难标准"),
]

LAYERS: tuple[dict[str, Any], ...] = (PRC_LAA_2021, HA_2010, HA_2026, PDS_GC)
# The names the application side imports. Shared module data: read it, never change it in place
# (default_layers() and default_thresholds() hand out copies).
DEFAULT_LAYERS = LAYERS
DEFAULT_THRESHOLDS: tuple[dict[str, Any], ...] = tuple(THRESHOLDS)


def default_layers() -> list[dict[str, Any]]:
    return copy.deepcopy(list(LAYERS))


def default_thresholds() -> list[dict[str, Any]]:
    return copy.deepcopy(THRESHOLDS)


def default_rulebook() -> RuleBook:
    return RuleBook(default_layers(), default_thresholds())
