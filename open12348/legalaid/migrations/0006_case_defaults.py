"""Default case deadlines (legal-day counts) and demo subsidy standards, as data to edit later."""

import datetime as dt

from django.db import migrations

DEADLINES = [
    ("assignment", 3, "法律援助法第四十三条、第三十六条"),
    ("agreement", 5, "法律援助程序规定（2023）第二十七条 [S]"),
    ("closing", 30, "结案后30日内提交结案材料 [S]"),
    ("subsidy", 30, "审查结案材料并支付补贴 [S]"),
    ("no_progress", 30, "承办人员应当及时向受援人通报进展（法律援助法第四十六条）；本地设定"),
]
DEMO = "演示数据：平顶山市法律援助办案补贴标准（待以正式文件替换）"
SUBSIDIES = [
    ("criminal", "", "1500.00", "200.00"),
    ("civil", "", "1200.00", "200.00"),
    ("administrative", "", "1200.00", "200.00"),
    ("non_litigation", "", "600.00", "0.00"),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("legalaid", "DeadlineRule")
    SubsidyStandard = apps.get_model("legalaid", "SubsidyStandard")
    for kind, days, source in DEADLINES:
        DeadlineRule.objects.get_or_create(kind=kind, defaults={"days": days, "source": source})
    for category, stage, base, extra in SUBSIDIES:
        SubsidyStandard.objects.get_or_create(
            category=category, stage=stage, region_code="4104", effective_from=dt.date(2020, 1, 1),
            defaults={"base_amount": base, "per_extra_hearing": extra, "unqualified_factor": "0", "source": DEMO},
        )


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0005_cases")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
