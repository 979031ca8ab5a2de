"""Remove personal details from a question and its answer before they go into the public Q&A library.

Pure text work, no database. Two kinds of detail:

- *Sure* ones, found by their shape: ID numbers, phone numbers, bank card numbers, e-mail
  addresses and number plates. They are replaced, and `remaining_sure_details` lets the publishing
  service refuse a text that still holds one after staff edited it.
- *Likely* ones, found by heuristics: people's names (a common surname after words such as 我叫,
  被告, 老板, or before 先生/女士/经理) become 张某, as courts anonymise judgments, and the fine part
  of an address (road and house number, village group, building and room) becomes [地址]. Chinese
  names and addresses cannot be found reliably by rules, which is why staff read and edit every
  text before it is published (they confirm it with a tick).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

ID_MARK = "[身份证号]"
PHONE_MARK = "[电话]"
CARD_MARK = "[银行卡号]"
EMAIL_MARK = "[邮箱]"
PLATE_MARK = "[车牌号]"
ADDRESS_MARK = "[地址]"

# The most common Chinese surnames (together well over 80 % of people), and compound ones. Rare
# surnames that are also everyday words (农, 门, 是 …) are left out on purpose: false hits would
# mangle ordinary sentences.
SINGLE_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
) - set("农和时明文路全成应常关车古吉单司安易宁米连景党商")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒", "夏侯")

# Words after which a name usually follows ("我叫王德洲", "被告李秀英", "老板张伟").
NAME_CUES = (
    "我叫", "名叫", "叫做", "姓名是", "姓名为", "姓名", "本人", "当事人", "原告", "被告", "申请人", "被申请人",
    "老板", "老板娘", "经理", "厂长", "包工头", "工头", "负责人", "丈夫", "妻子", "老公", "老婆", "前夫", "前妻",
    "儿子", "女儿", "父亲", "母亲", "爸爸", "妈妈", "哥哥", "姐姐", "弟弟", "妹妹", "邻居", "同事", "朋友",
    "对方", "司机", "房东", "租客", "借款人", "出借人", "债务人", "债权人", "介绍人",
)
# Titles after which the part before is a name ("王德洲律师", "李秀英女士").
NAME_TITLES = ("先生", "女士", "小姐", "师傅", "老师", "经理", "老板", "律师", "法官", "医生", "同志", "主任", "厂长")
# A given name does not run into these: "我叫张三来咨询" keeps 来咨询.
NAME_STOPS = set("的了是在和与及跟也就都把被给对说要去来从向到今年月日已还又不没有让叫为因我你他她它们啊吧呢吗"
                 "区县市省镇乡村路街院所局厅委会司厂店打骂欠借拿找告骗偷抢用买卖欺")
ADDRESS_KEEP = set("在住是到于的址从向往去来了和及与我你他她家为：:，, ")

_HAN = "\u4e00-\u9fff"
_NAME_CHAR = re.compile(f"[{_HAN}]")

_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[\s-]?)\d{7,8}(?:[\s-]?(?:转|-)\d{1,5})?(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d[\s-]?){15,18}\d(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][·\s]?[A-HJ-NP-Za-hj-np-z0-9]{5,6}(?![A-Za-z0-9])")
_NUM = r"[0-9０-９一二三四五六七八九十百零两]+"
_UNIT = r"(?:号楼|号院|栋|幢|单元|层|楼|室|户|号|组|排|巷)"
_ADDRESS = re.compile(
    rf"[{_HAN}]{{1,10}}?(?:路|街|大街|大道|巷|胡同|村|社区|小区|花园|家园|公寓|大厦|新村|庄|屯|组)"
    rf"(?:[{_HAN}]{{0,4}}?{_NUM}\s*{_UNIT})+(?:[-－]?\d+(?!\d))?"
)
_BUILDING = re.compile(rf"{_NUM}\s*(?:号楼|栋|幢)(?:\s*{_NUM}\s*(?:单元|层|楼|室|户|号))+(?:[-－]?\d+(?!\d))?")

SURE_PATTERNS = (
    ("id_number", _ID18, ID_MARK),
    ("id_number", _ID15, ID_MARK),
    ("email", _EMAIL, EMAIL_MARK),
    ("phone", _MOBILE, PHONE_MARK),
    ("bank_card", _CARD, CARD_MARK),
    ("phone", _LANDLINE, PHONE_MARK),
    ("plate", _PLATE, PLATE_MARK),
)


@dataclass
class Scrubbed:
    text: str
    found: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.found)


def _surname_at(text: str, start: int) -> str:
    for compound in COMPOUND_SURNAMES:
        if text.startswith(compound, start):
            return compound
    char = text[start:start + 1]
    return char if char in SINGLE_SURNAMES else ""


def _given_name_length(text: str, start: int) -> int:
    """How many characters of a given name follow at `start` (0, 1 or 2)."""
    length = 0
    while length < 2 and start + length < len(text):
        char = text[start + length]
        if not _NAME_CHAR.match(char) or char in NAME_STOPS or char == "某":
            break
        length += 1
    return length


_CUE = re.compile("(?:{})[:：\\s]?".format("|".join(sorted(map(re.escape, NAME_CUES), key=len, reverse=True))))
_TITLED_NAME = re.compile("((?:{})|[{}])([{}]{{1,2}}?)(?={})".format(
    "|".join(COMPOUND_SURNAMES), "".join(sorted(SINGLE_SURNAMES)), _HAN, "|".join(map(re.escape, NAME_TITLES))))


def _anonymise_after_cues(text: str, found: Counter) -> str:
    out, position = [], 0
    for match in _CUE.finditer(text):
        start = match.end()
        if start < position:
            continue
        surname = _surname_at(text, start)
        if not surname:
            continue
        given = _given_name_length(text, start + len(surname))
        if given == 0:
            continue
        out.append(text[position:start])
        out.append(f"{surname}某")
        position = start + len(surname) + given
        found["name"] += 1
    out.append(text[position:])
    return "".join(out)


def _anonymise_before_titles(text: str, found: Counter) -> str:
    def replace(match: re.Match) -> str:
        given = match.group(2)
        if any(ch in NAME_STOPS or ch == "某" for ch in given):
            return match.group(0)
        found["name"] += 1
        return f"{match.group(1)}某"

    return _TITLED_NAME.sub(replace, text)


def _replace_addresses(text: str, found: Counter) -> str:
    def replace(match: re.Match) -> str:
        matched = match.group(0)
        # Keep the words that lead into the address ("我住在"), drop the address itself.
        keep = 0
        for index, char in enumerate(matched):
            if char in ADDRESS_KEEP:
                keep = index + 1
        found["address"] += 1
        return matched[:keep] + ADDRESS_MARK

    text = _ADDRESS.sub(replace, text)
    return _BUILDING.sub(replace, text)


def scrub(text: str) -> Scrubbed:
    """The text with personal details replaced, and how many of each kind were found."""
    found: Counter = Counter()
    text = str(text or "")
    for kind, pattern, mark in SURE_PATTERNS:
        text, count = pattern.subn(mark, text)
        if count:
            found[kind] += count
    text = _replace_addresses(text, found)
    text = _anonymise_after_cues(text, found)
    text = _anonymise_before_titles(text, found)
    return Scrubbed(text=text, found=found)


def remaining_sure_details(text: str) -> list[str]:
    """The kinds of sure personal details (ID, phone, card, e-mail, plate) still in `text`."""
    kinds = []
    for kind, pattern, _mark in SURE_PATTERNS:
        if pattern.search(text or "") and kind not in kinds:
            kinds.append(kind)
    return kinds
