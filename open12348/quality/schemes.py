"""Default evaluation schemes (plain data; the initial data migration loads them as version 1).

Items follow the standards' lists (SF/T 0032 criminal, SF/T 0058 civil/administrative): meetings,
file reading, evidence, written opinions, hearings, closing file, legal effect, client contact.
Weights of a scheme sum to 100. `methods` says which of the four checks (Art. 59) scores the item.
"""

from __future__ import annotations

DEFAULT_BANDS = [
    {"grade": "优秀", "min": 85},
    {"grade": "良好", "min": 75},
    {"grade": "合格", "min": 60},
    {"grade": "不合格", "min": 0},
]

EFFECTIVE_FROM = "2020-01-01"

_LEVELS = {
    "meeting": {"优秀": "按时会见并制作完整笔录", "合格": "有会见记录", "不合格": "未会见或无记录"},
    "file_reading": {"优秀": "全面阅卷并有阅卷笔录", "合格": "有阅卷记录", "不合格": "未阅卷"},
    "evidence": {"优秀": "主动调查取证并提交", "合格": "必要时申请调查取证", "不合格": "应取证而未取证"},
    "written_opinion": {"优秀": "意见充分、有针对性", "合格": "提交书面意见", "不合格": "未提交书面意见"},
    "hearing": {"优秀": "出庭准备充分、表达清楚", "合格": "按时出庭", "不合格": "无故不出庭"},
    "closing_file": {"优秀": "材料齐全、装订规范、按时归档", "合格": "材料基本齐全", "不合格": "材料缺失"},
    "legal_effect": {"优秀": "意见被采纳，维护了受援人权益", "合格": "依法履职", "不合格": "损害受援人权益"},
    "client_contact": {"优秀": "及时告知进展并释明风险", "合格": "有沟通记录", "不合格": "未与受援人沟通"},
}

_TITLES = {
    "meeting": "会见", "file_reading": "阅卷", "evidence": "调查取证", "written_opinion": "书面意见",
    "hearing": "出庭", "closing_file": "结案归档", "legal_effect": "法律效果", "client_contact": "与受援人沟通",
}

_METHODS = {
    "meeting": ["file_review", "follow_up"],
    "file_reading": ["file_review"],
    "evidence": ["file_review"],
    "written_opinion": ["file_review", "opinion"],
    "hearing": ["hearing", "opinion"],
    "closing_file": ["file_review"],
    "legal_effect": ["file_review", "opinion"],
    "client_contact": ["file_review", "follow_up"],
}


def _items(weights: dict[str, int]) -> list[dict]:
    return [{"code": code, "title": _TITLES[code], "weight": weight, "levels": _LEVELS[code],
             "methods": _METHODS[code]} for code, weight in weights.items()]


DEFAULT_SCHEMES: list[dict] = [
    {"code": "criminal_defence", "category": "criminal", "stage": "", "title": "刑事辩护案件质量评估标准",
     "items": _items({"meeting": 15, "file_reading": 15, "evidence": 10, "written_opinion": 15, "hearing": 15,
                      "closing_file": 10, "legal_effect": 10, "client_contact": 10})},
    {"code": "victim_representation", "category": "criminal", "stage": "", "title": "刑事被害人代理案件质量评估标准",
     "items": _items({"meeting": 10, "file_reading": 15, "evidence": 15, "written_opinion": 15, "hearing": 15,
                      "closing_file": 10, "legal_effect": 10, "client_contact": 10})},
    {"code": "civil", "category": "civil", "stage": "", "title": "民事法律援助案件质量评估标准",
     "items": _items({"meeting": 10, "evidence": 20, "written_opinion": 15, "hearing": 15, "closing_file": 10,
                      "legal_effect": 15, "client_contact": 15})},
    {"code": "administrative", "category": "administrative", "stage": "", "title": "行政法律援助案件质量评估标准",
     "items": _items({"meeting": 10, "file_reading": 10, "evidence": 15, "written_opinion": 15, "hearing": 15,
                      "closing_file": 10, "legal_effect": 15, "client_contact": 10})},
    {"code": "non_litigation", "category": "non_litigation", "stage": "", "title": "非诉讼代理案件质量评估标准",
     "items": _items({"meeting": 15, "evidence": 20, "written_opinion": 20, "closing_file": 15,
                      "legal_effect": 15, "client_contact": 15})},
    {"code": "duty_lawyer", "category": "criminal", "stage": "", "title": "值班律师法律帮助质量评估标准",
     "items": _items({"meeting": 25, "file_reading": 20, "written_opinion": 20, "closing_file": 15,
                      "client_contact": 20})},
]
