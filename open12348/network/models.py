from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimeStampedModel

from .choices import (
    InstitutionKind,
    PartnerBody,
    PractitionerKind,
    RegionLevel,
    ServicePointKind,
    Sex,
)


class Region(models.Model):
    """An administrative division (GB/T 2260 / NBS statistical code), down to village level.

    `path` lists the codes from the root, `41/4104/410402/`, so a subtree is one prefix match.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=80, unique=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["path"], name="region_path_like_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "code"], name="region_level_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors(include_self=True) if r.level != RegionLevel.PROVINCE)

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestors(self, *, include_self: bool = False) -> list["Region"]:
        codes = self.ancestor_codes()
        if not include_self:
            codes = codes[:-1]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class ServiceType(models.Model):
    """A service the public can ask for (法律咨询, 法律援助, 人民调解, 公证 …): a vocabulary as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    """A field of law a practitioner works in (劳动争议, 婚姻家庭, 刑事辩护 …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SearchableName(models.Model):
    """Name fields with their pinyin, kept by the services so `wdz` finds 王德洲."""

    name = models.CharField(_("name"), max_length=100)
    name_pinyin = models.CharField(_("pinyin"), max_length=400, blank=True, editable=False)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True


class ServicePoint(TimeStampedModel):
    """A place where the public is served: the four-level network plus partner workstations."""

    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="service_points")
    partner_body = models.CharField(_("partner body"), max_length=24, choices=PartnerBody.choices, blank=True)
    institution = models.ForeignKey(
        "Institution", verbose_name=_("run by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="service_points",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    services = models.ManyToManyField(ServiceType, verbose_name=_("services"), blank=True, related_name="+")
    is_public = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["region__code", "kind", "name"]
        indexes = [models.Index(fields=["kind", "region"], name="servicepoint_kind_region_idx")]

    def __str__(self) -> str:
        return self.name


class Institution(TimeStampedModel, SearchableName):
    kind = models.CharField(_("kind"), max_length=24, choices=InstitutionKind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_no = models.CharField(_("practice licence number"), max_length=40, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="institutions")
    service_point = models.ForeignKey(
        ServicePoint, verbose_name=_("service point"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="institutions",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    services = models.ManyToManyField(ServiceType, verbose_name=_("services"), blank=True, related_name="institutions")
    description = models.TextField(_("introduction"), blank=True)
    is_public = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="institution_credit_code_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "region"], name="institution_kind_region_idx"),
            models.Index(fields=["name_initials"], name="institution_initials_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Practitioner(TimeStampedModel, SearchableName):
    """A person who serves the public. Public fields show in the directory; private ones never do."""

    kind = models.CharField(_("kind"), max_length=16, choices=PractitionerKind.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    licence_no = models.CharField(_("licence number"), max_length=40, blank=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="practitioners",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="practitioners")
    service_point = models.ForeignKey(
        ServicePoint, verbose_name=_("service point"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="practitioners",
    )
    specialties = models.ManyToManyField(Specialty, verbose_name=_("specialties"), blank=True, related_name="practitioners")
    practice_since = models.PositiveSmallIntegerField(_("practising since (year)"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    duty_hours = models.CharField(_("duty hours"), max_length=100, blank=True)
    profile = models.TextField(_("public profile"), blank=True)
    is_public = models.BooleanField(_("published"), default=True)
    user = models.OneToOneField(
        "accounts.User", verbose_name=_("staff account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="practitioner", help_text=_("The account the practitioner signs in with, if any."),
    )
    # Private: encrypted at rest, looked up by keyed hash, never in the directory.
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    mobile = EncryptedTextField(_("private mobile"), blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "licence_no"], condition=~models.Q(licence_no=""), name="practitioner_licence_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "region"], name="practitioner_kind_region_idx"),
            models.Index(fields=["name_initials"], name="practitioner_initials_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def years_of_practice(self, *, today=None) -> int | None:
        if not self.practice_since:
            return None
        from django.utils import timezone

        year = (today or timezone.localdate()).year
        return max(year - self.practice_since, 0)
