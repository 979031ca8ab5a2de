"""The hotline's service standards as data: the quality checklist, standard and forbidden phrases.

The checklist follows the Jiangsu standard DB32/T 3837-2020 ("12348"公共法律服务热线工作规范) and
its appendix of standard and forbidden phrases (RULES.md §8). Each item is scored 0–100 by the
reviewer; the call's score is the weighted mean (weights add up to 100).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: object  # a lazy translation
    weight: int
    guide: object


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("greeting", _("Greeting"), 10,
                  _("Answers with the standard greeting and says the hotline's name and their seat number.")),
    ChecklistItem("patience", _("Patience"), 15,
                  _("Lets the caller finish, does not interrupt, stays calm with an upset caller.")),
    ChecklistItem("correct_law", _("Correct law"), 35,
                  _("The answer is legally correct and cites the right law; hard questions are booked, not guessed.")),
    ChecklistItem("plain_words", _("Plain words"), 15,
                  _("Explains in words the caller understands and checks that they did.")),
    ChecklistItem("standard_phrases", _("Standard phrases"), 15,
                  _("Uses the standard phrases for greeting, waiting, transferring and closing.")),
    ChecklistItem("no_forbidden_phrases", _("No forbidden phrases"), 10,
                  _("Uses none of the forbidden phrases; lets the caller hang up first.")),
)
CHECKLIST_CODES = tuple(item.code for item in CHECKLIST)
assert sum(item.weight for item in CHECKLIST) == 100  # noqa: S101  (a data error, caught at import)

STANDARD_PHRASES = (
    "您好，12348公共法律服务热线，很高兴为您服务。",
    "请问有什么可以帮您？",
    "请您慢慢说，我在认真听。",
    "请稍等，我帮您查询一下相关规定。",
    "您的问题比较复杂，我们将在规定时间内给您回复。",
    "为了更好地帮助您，我为您转接相关部门，请不要挂机。",
    "请问还有其他问题吗？",
    "感谢您的来电，再见。",
)

# Heard on a recording or written in the answer, each one costs the call its "no forbidden
# phrases" item. The list is the standard's appendix in substance.
FORBIDDEN_PHRASES = (
    "不知道",
    "不归我们管",
    "这不是我们的事",
    "你自己去查",
    "我也没办法",
    "说了你也不懂",
    "你问别人去",
    "急什么",
    "有完没完",
    "快点说",
    "找领导去",
    "你去投诉吧",
    "没空",
    "别啰嗦",
)


def forbidden_phrases_in(text: str) -> list[str]:
    """The forbidden phrases that occur in `text`, in the list's order."""
    return [phrase for phrase in FORBIDDEN_PHRASES if phrase in (text or "")]


def checklist_score(scores: dict[str, int]) -> Decimal:
    """The weighted mean of the item scores, to two decimals."""
    total = sum(Decimal(scores[item.code]) * item.weight for item in CHECKLIST)
    return (total / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
