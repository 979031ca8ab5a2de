"""Factories shared by every app's tests. Regions form real paths; names have real pinyin."""

from __future__ import annotations

import factory

from open12348.accounts.models import Membership, User
from open12348.network.choices import REGION_LEVEL_DEPTH, InstitutionKind, PractitionerKind, RegionLevel
from open12348.network.models import Institution, Practitioner, Region, ServicePoint, ServiceType, Specialty
from open12348.network.pinyin import pinyin_keys

_PARENT_LEVEL = {
    RegionLevel.CITY: RegionLevel.PROVINCE,
    RegionLevel.COUNTY: RegionLevel.CITY,
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
}


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "path": f"{parent.path if parent else ''}{code}/",
            "depth": REGION_LEVEL_DEPTH[level],
        },
    )
    return region


def pingdingshan() -> dict[str, Region]:
    """A small real slice: the province, the city, two districts, a township and a village in each."""
    henan = make_region("41", "河南省", RegionLevel.PROVINCE)
    city = make_region("4104", "平顶山市", RegionLevel.CITY, henan)
    xinhua = make_region("410402", "新华区", RegionLevel.COUNTY, city)
    weidong = make_region("410403", "卫东区", RegionLevel.COUNTY, city)
    xinhua_t = make_region("410402001", "中兴路街道", RegionLevel.TOWNSHIP, xinhua)
    weidong_t = make_region("410403001", "东安路街道", RegionLevel.TOWNSHIP, weidong)
    return {
        "henan": henan,
        "city": city,
        "xinhua": xinhua,
        "weidong": weidong,
        "xinhua_township": xinhua_t,
        "weidong_township": weidong_t,
        "xinhua_village": make_region("410402001001", "曙光社区", RegionLevel.VILLAGE, xinhua_t),
        "weidong_village": make_region("410403001001", "建设路社区", RegionLevel.VILLAGE, weidong_t),
    }


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"4104{n + 50:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = RegionLevel.COUNTY
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else ''}{o.code}/")
    depth = factory.LazyAttribute(lambda o: REGION_LEVEL_DEPTH[o.level])


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"服务{n}")


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"specialty-{n}")
    name = factory.Sequence(lambda n: f"专长{n}")


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    kind = "station"
    name = factory.Sequence(lambda n: f"第{n}公共法律服务工作站")
    region = factory.SubFactory(RegionFactory)
    address = "平顶山市新华区中兴路1号"
    phone = "0375-12348"
    opening_hours = "周一至周五 8:30-12:00 14:30-17:30"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    kind = InstitutionKind.LAW_FIRM
    name = factory.Sequence(lambda n: f"河南鹰城第{n}律师事务所")
    region = factory.SubFactory(RegionFactory)
    address = "平顶山市新华区建设路100号"
    phone = "0375-2000000"

    @factory.post_generation
    def _pinyin(obj, create, extracted, **kwargs):
        obj.name_pinyin, obj.name_initials = pinyin_keys(obj.name)
        if create:
            obj.save(update_fields=["name_pinyin", "name_initials"])


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner
        skip_postgeneration_save = True

    kind = PractitionerKind.LAWYER
    name = factory.Sequence(lambda n: ["王德洲", "李秀英", "张伟", "刘洋", "陈静"][n % 5] + ("" if n < 5 else str(n)))
    sex = "M"
    licence_no = factory.Sequence(lambda n: f"1410420101{n:07d}")
    institution = factory.SubFactory(InstitutionFactory)
    region = factory.LazyAttribute(lambda o: o.institution.region if o.institution else RegionFactory())
    practice_since = 2012

    @factory.post_generation
    def _pinyin(obj, create, extracted, **kwargs):
        obj.name_pinyin, obj.name_initials = pinyin_keys(obj.name)
        if create:
            obj.save(update_fields=["name_pinyin", "name_initials"])


STRONG_PASSWORD = "Yingcheng#2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    real_name = factory.Sequence(lambda n: f"工作人员{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or STRONG_PASSWORD)
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = "window_staff"


def staff_in(region: Region, *, role: str = "window_staff", username: str | None = None,
             kind: str = InstitutionKind.JUDICIAL_BUREAU) -> User:
    """A user with `role` at a judicial bureau of `region`: they see that region's subtree."""
    bureau = InstitutionFactory(kind=kind, name=f"{region.name}司法局{Institution.objects.count()}", region=region)
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, institution=bureau, role=role)
    return user
