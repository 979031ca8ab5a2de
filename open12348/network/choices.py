import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


REGION_LEVEL_DEPTH = {
    RegionLevel.PROVINCE: 0,
    RegionLevel.CITY: 1,
    RegionLevel.COUNTY: 2,
    RegionLevel.TOWNSHIP: 3,
    RegionLevel.VILLAGE: 4,
}


class ServicePointKind(models.TextChoices):
    CENTRE = "centre", _("Public legal service centre")
    STATION = "station", _("Public legal service station")
    ROOM = "room", _("Public legal service room")
    AID_WORKSTATION = "aid_workstation", _("Legal aid workstation")
    LIAISON_POINT = "liaison_point", _("Legal aid liaison point")


class PartnerBody(models.TextChoices):
    TRADE_UNION = "trade_union", _("Trade union")
    YOUTH_LEAGUE = "youth_league", _("Communist Youth League")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")
    DISABLED_FEDERATION = "disabled_federation", _("Disabled persons' federation")
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    LABOUR_ARBITRATION = "labour_arbitration", _("Labour dispute arbitration commission")
    VETERANS_AFFAIRS = "veterans_affairs", _("Veterans affairs bureau")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    OTHER = "other", _("Other body")


class InstitutionKind(models.TextChoices):
    JUDICIAL_BUREAU = "judicial_bureau", _("Judicial bureau")
    LEGAL_AID_CENTRE = "legal_aid_centre", _("Legal aid centre")
    LAW_FIRM = "law_firm", _("Law firm")
    LEGAL_SERVICE_OFFICE = "legal_service_office", _("Grassroots legal service office")
    NOTARY_OFFICE = "notary_office", _("Notary office")
    APPRAISAL_INSTITUTION = "appraisal_institution", _("Judicial appraisal institution")
    MEDIATION_COMMITTEE = "mediation_committee", _("People's mediation committee")
    ARBITRATION_BODY = "arbitration_body", _("Arbitration body")
    JUDICIAL_OFFICE = "judicial_office", _("Judicial office")


class PractitionerKind(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    LEGAL_WORKER = "legal_worker", _("Grassroots legal service worker")
    NOTARY = "notary", _("Notary")
    APPRAISER = "appraiser", _("Judicial appraiser")
    MEDIATOR = "mediator", _("People's mediator")
    AID_STAFF = "aid_staff", _("Legal aid staff")
    LIAISON = "liaison", _("Legal aid liaison")
    VOLUNTEER = "volunteer", _("Volunteer")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


# Licence numbers by kind of practitioner. A lawyer's practising certificate number has 17 digits
# (category, issuing region, first year of practice, qualification type, sex, serial); the other
# certificates' layouts vary by issuing authority, so only their character set and length are checked.
# Kinds not listed hold no licence.
LICENCE_PATTERNS: dict[str, re.Pattern[str]] = {
    PractitionerKind.LAWYER: re.compile(r"^[1-9]\d{16}$"),
    PractitionerKind.LEGAL_WORKER: re.compile(r"^\d{8,20}$"),
    PractitionerKind.NOTARY: re.compile(r"^\d{8,20}$"),
    PractitionerKind.APPRAISER: re.compile(r"^\d{8,20}$"),
}
LICENCE_REQUIRED = frozenset(LICENCE_PATTERNS)
