import datetime as dt

from django.db import migrations

# The default data lives in schemes.py (plain data, no models), shared with the tests.
from open12348.quality.schemes import DEFAULT_BANDS, DEFAULT_SCHEMES, EFFECTIVE_FROM


def load(apps, schema_editor):
    Scheme = apps.get_model("quality", "Scheme")
    SchemeItem = apps.get_model("quality", "SchemeItem")
    for data in DEFAULT_SCHEMES:
        if Scheme.objects.filter(code=data["code"], stage=data["stage"]).exists():
            continue
        scheme = Scheme.objects.create(
            code=data["code"], category=data["category"], stage=data["stage"], version=1, is_current=True,
            title=data["title"], bands=[dict(b) for b in DEFAULT_BANDS],
            effective_from=dt.date.fromisoformat(EFFECTIVE_FROM))
        for position, item in enumerate(data["items"]):
            SchemeItem.objects.create(scheme=scheme, code=item["code"], title=item["title"], weight=item["weight"],
                                      levels=item["levels"], methods=item["methods"], position=position)


def unload(apps, schema_editor):
    Scheme = apps.get_model("quality", "Scheme")
    Scheme.objects.filter(version=1, code__in=[d["code"] for d in DEFAULT_SCHEMES],
                          evaluations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
