"""The demo city: the seed article's numbers, determinism, privacy of the generated people, accounts.

The city is seeded once for the module inside a transaction that is rolled back afterwards, so
other test modules still start from an empty database.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from open12348.accounts.models import Membership, User
from open12348.accounts.roles import Role
from open12348.accounts.scope import restrict_to_regions
from open12348.audit.models import AuditEvent
from open12348.core.crypto import blind_index
from open12348.core.idnumber import parse_id_number
from open12348.network.choices import InstitutionKind, PartnerBody, PractitionerKind, ServicePointKind
from open12348.network.demo import DEMO_PASSWORD, demo_plan
from open12348.network.models import Institution, Practitioner, Region, ServicePoint, ServiceType, Specialty
from open12348.network.pinyin import pinyin_keys
from open12348.network.selectors import directory_practitioners, region_by_code
from open12348.network.services import validate_licence

SEED = 4104
TEN_COUNTIES = {
    "410402",
    "410403",
    "410404",
    "410411",
    "410421",
    "410422",
    "410423",
    "410425",
    "410481",
    "410482",
}


def seed(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        # The legal aid demo work is tested in legalaid/tests/test_demo.py; here the city alone.
        call_command("seed_demo", "--scale", "city", "--seed", str(SEED), "--without-legal-aid", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("city")]


def db_fingerprint() -> str:
    rows = Practitioner.objects.order_by("kind", "licence_no", "name", "region__code").values_list(
        "kind", "name", "licence_no", "region__code"
    )
    institutions = Institution.objects.order_by("kind", "name").values_list(
        "kind", "name", "region__code", "phone"
    )
    villages = Region.objects.filter(level="village").order_by("code").values_list("code", "name")
    digest = hashlib.sha256()
    for row in [*rows, *institutions, *villages]:
        digest.update("|".join(str(v) for v in row).encode())
    return digest.hexdigest()


# --- the seed article's numbers ------------------------------------------------------------


def test_regions_are_pingdingshan_with_generated_villages():
    levels = Counter(Region.objects.values_list("level", flat=True))
    assert levels == {"province": 1, "city": 1, "county": 12, "township": 148, "village": 2345}
    assert set(Region.objects.filter(level="county").values_list("code", flat=True)) == TEN_COUNTIES | {
        "410471",
        "410472",
    }
    for village in Region.objects.filter(level="village").select_related("parent"):
        assert re.fullmatch(rf"{village.parent.code}\d{{3}}", village.code)
        assert village.path == f"{village.parent.path}{village.code}/"
        if "街道" in village.parent.name:
            assert village.name.endswith("社区"), village
        else:
            assert village.name.endswith("村"), village


def test_the_service_network_has_the_seed_articles_numbers():
    points = Counter(ServicePoint.objects.values_list("kind", flat=True))
    assert points[ServicePointKind.CENTRE] == 13
    assert points[ServicePointKind.STATION] == 139
    assert points[ServicePointKind.ROOM] == 2345
    assert points[ServicePointKind.AID_WORKSTATION] == 243
    assert 200 <= points[ServicePointKind.LIAISON_POINT] <= 500
    stations = ServicePoint.objects.filter(kind=ServicePointKind.STATION)
    assert stations.values("region").distinct().count() == 139
    assert not stations.exclude(region__level="township").exists()
    rooms = ServicePoint.objects.filter(kind=ServicePointKind.ROOM)
    assert rooms.values("region").distinct().count() == 2345
    assert not rooms.exclude(region__level="village").exists()
    centres = ServicePoint.objects.filter(kind=ServicePointKind.CENTRE)
    assert set(centres.values_list("region__code", flat=True)) == TEN_COUNTIES | {"410471", "410472", "4104"}


def test_partner_workstations_are_spread_over_the_partner_bodies_in_the_ten_counties():
    workstations = ServicePoint.objects.filter(kind=ServicePointKind.AID_WORKSTATION)
    bodies = set(workstations.values_list("partner_body", flat=True))
    assert bodies == set(PartnerBody.values) - {PartnerBody.OTHER}
    assert {code[:6] for code in workstations.values_list("region__code", flat=True)} == TEN_COUNTIES
    assert not workstations.filter(institution__isnull=True).exists()


def test_every_liaison_point_has_a_liaison():
    points = ServicePoint.objects.filter(kind=ServicePointKind.LIAISON_POINT)
    staffed = Practitioner.objects.filter(kind=PractitionerKind.LIAISON, service_point__in=points)
    assert staffed.values("service_point").distinct().count() == points.count()


def test_institutions_number_1941_with_one_office_per_township():
    kinds = Counter(Institution.objects.values_list("kind", flat=True))
    assert sum(kinds.values()) == 1941
    assert kinds[InstitutionKind.JUDICIAL_BUREAU] == 13
    assert kinds[InstitutionKind.LEGAL_AID_CENTRE] == 13
    assert kinds[InstitutionKind.JUDICIAL_OFFICE] == 148
    assert (
        Institution.objects.filter(kind=InstitutionKind.JUDICIAL_OFFICE).values("region").distinct().count()
        == 148
    )
    for kind in InstitutionKind.values:
        assert kinds[kind] > 0, kind
    assert kinds.most_common(1)[0][0] == InstitutionKind.MEDIATION_COMMITTEE
    assert not Institution.objects.exclude(phone__startswith="0375-").exists()
    assert not Institution.objects.filter(address="").exists()
    assert not Institution.objects.filter(opening_hours="").exists()
    assert Institution.objects.filter(name="卫东区司法局", region__code="410403").exists()


def test_institutions_offer_services_that_fit_their_kind():
    codes = set(ServiceType.objects.values_list("code", flat=True))
    assert {
        "consultation",
        "legal-aid",
        "mediation",
        "notary",
        "appraisal",
        "arbitration",
        "publicity",
        "lawyer",
    } <= codes
    assert not Institution.objects.filter(services__isnull=True).exists()
    expected = {
        InstitutionKind.NOTARY_OFFICE: "notary",
        InstitutionKind.LAW_FIRM: "lawyer",
        InstitutionKind.LEGAL_AID_CENTRE: "legal-aid",
        InstitutionKind.MEDIATION_COMMITTEE: "mediation",
        InstitutionKind.APPRAISAL_INSTITUTION: "appraisal",
        InstitutionKind.ARBITRATION_BODY: "arbitration",
    }
    for kind, service in expected.items():
        of_kind = Institution.objects.filter(kind=kind)
        assert of_kind.filter(services__code=service).count() == of_kind.count(), kind
    assert not Institution.objects.filter(kind=InstitutionKind.LAW_FIRM, services__code="notary").exists()


def test_practitioners_number_5741_in_believable_proportions():
    kinds = Counter(Practitioner.objects.values_list("kind", flat=True))
    assert sum(kinds.values()) == 5741
    assert set(kinds) == set(PractitionerKind.values)
    assert kinds.most_common(1)[0][0] == PractitionerKind.MEDIATOR
    assert 1400 <= kinds[PractitionerKind.LAWYER] <= 1600
    assert Specialty.objects.filter(name__in=["劳动争议", "婚姻家庭", "刑事辩护", "交通事故"]).count() == 4
    assert Practitioner.objects.filter(kind=PractitionerKind.LAWYER, specialties__isnull=True).count() == 0
    languages = Counter(
        lang for langs in Practitioner.objects.values_list("languages", flat=True) for lang in langs
    )
    assert languages["普通话"] == 5741
    assert 0 < languages["河南方言"] < 5741
    assert languages["英语"] > 0 and languages["手语"] > 0
    assert not Practitioner.objects.filter(practice_since__isnull=True).exists()


def test_licences_are_valid_unique_and_issued_in_pingdingshan():
    lawyers = list(
        Practitioner.objects.filter(kind=PractitionerKind.LAWYER).values_list(
            "licence_no", "sex", "practice_since"
        )
    )
    assert len({no for no, _sex, _year in lawyers}) == len(lawyers)
    for no, sex, year in lawyers:
        assert re.fullmatch(r"1410[4]\d{12}", no)
        assert no[5:9] == str(year)
        assert no[10] == ("0" if sex == "M" else "1")
    licensed = Practitioner.objects.exclude(licence_no="").values_list("kind", "licence_no")
    assert Counter(kind for kind, _no in licensed).keys() == {"lawyer", "legal_worker", "notary", "appraiser"}
    for kind, no in licensed:
        assert validate_licence(kind=kind, licence_no=no) == no
    assert len(set(licensed)) == len(licensed)


def test_the_spec_lawyer_is_in_xinhua_and_found_by_pinyin():
    wang = Practitioner.objects.get(name="王德洲")
    assert wang.kind == PractitionerKind.LAWYER
    assert wang.region.path.startswith(region_by_code("410402").path)
    assert wang.institution.kind == InstitutionKind.LAW_FIRM
    assert wang in directory_practitioners(q="wdz")
    assert wang in directory_practitioners(q="wangdezhou", region=region_by_code("410402"))


# --- privacy of the generated people ------------------------------------------------------


def test_no_plaintext_id_numbers_or_mobiles_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM network_practitioner")
        stored = cursor.fetchall()
    assert len(stored) == 5741
    for id_number, mobile in stored:
        assert not re.search(r"\d{17}[\dX]", id_number)
        assert not re.search(r"1\d{10}", mobile)


def test_private_values_are_valid_and_derived_fields_match_the_services():
    for person in Practitioner.objects.all()[:600]:
        parsed = parse_id_number(person.id_number)
        assert parsed.sex == person.sex
        assert parsed.region_code in TEN_COUNTIES
        assert parsed.birth_date.year + 18 <= person.practice_since
        assert re.fullmatch(r"1\d{10}", person.mobile)
        assert person.id_number_hash == blind_index(person.id_number, purpose="id_number")
        assert person.mobile_hash == blind_index(person.mobile, purpose="phone")
        assert (person.name_pinyin, person.name_initials) == pinyin_keys(person.name)
    institution = Institution.objects.get(name="卫东区司法局")
    assert (institution.name_pinyin, institution.name_initials) == pinyin_keys("卫东区司法局")


# --- determinism and re-runs ---------------------------------------------------------------


def test_the_database_holds_exactly_the_plan_of_its_seed():
    plan = demo_plan(seed=SEED)
    in_db = sorted(Practitioner.objects.values_list("kind", "name", "licence_no", "region__code"))
    assert in_db == sorted((p.kind, p.name, p.licence_no, p.region) for p in plan.practitioners)
    assert AuditEvent.objects.get(action="demo.seed").extra["fingerprint"] == plan.fingerprint()


def test_the_same_seed_gives_the_same_city_and_another_seed_does_not():
    assert demo_plan(seed=SEED).fingerprint() == demo_plan(seed=SEED).fingerprint()
    assert demo_plan(seed=SEED + 1).fingerprint() != demo_plan(seed=SEED).fingerprint()


def _clear_demo_data() -> None:
    Membership.objects.all().delete()
    User.objects.all().delete()
    Practitioner.objects.all().delete()
    ServicePoint.objects.update(institution=None)
    Institution.objects.all().delete()
    ServicePoint.objects.all().delete()
    for depth in (4, 3, 2, 1, 0):
        Region.objects.filter(depth=depth).delete()
    ServiceType.objects.all().delete()
    Specialty.objects.all().delete()


def test_reseeding_a_cleared_database_with_the_same_seed_rebuilds_the_same_city():
    before = db_fingerprint()
    _clear_demo_data()
    assert not Institution.objects.exists()

    seed()

    assert db_fingerprint() == before


def test_if_empty_keeps_existing_data():
    before = (db_fingerprint(), User.objects.count(), AuditEvent.objects.count())

    out = seed("--if-empty")

    assert "already holds data" in out
    assert (db_fingerprint(), User.objects.count(), AuditEvent.objects.count()) == before


def test_seeding_twice_without_if_empty_is_refused_and_changes_nothing():
    before = (Institution.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="already holds institutions"):
        seed()
    assert (Institution.objects.count(), AuditEvent.objects.count()) == before


def test_the_seed_leaves_one_summary_audit_row():
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.actor is None
    assert event.extra["institutions"] == 1941
    assert event.extra["practitioners"] == 5741
    assert event.extra["points_station"] == 139
    assert event.extra["seed"] == SEED


# --- demo accounts -------------------------------------------------------------------------


def test_one_demo_account_per_role_with_the_documented_password():
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert set(roles) == set(Role.values)
    assert roles[Role.BUREAU_ADMIN] == 2
    assert sum(roles.values()) == len(Role.values) + 1
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    for username in (
        "window",
        "reviewer",
        "director",
        "lawyer",
        "hotline",
        "dutylawyer",
        "evaluator",
        "mediator",
        "admin",
        "county_admin",
        "leader",
        "sysadmin",
        "secadmin",
        "auditor",
    ):
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username


def test_demo_accounts_sit_where_docs_demo_says():
    def where(username):
        membership = Membership.objects.select_related("institution").get(user__username=username)
        return membership.institution.name, membership.role

    assert where("window") == ("卫东区法律援助中心", Role.WINDOW_STAFF)
    assert where("reviewer") == ("卫东区法律援助中心", Role.REVIEWER)
    assert where("admin") == ("平顶山市司法局", Role.BUREAU_ADMIN)
    assert where("county_admin") == ("卫东区司法局", Role.BUREAU_ADMIN)
    lawyer = User.objects.get(username="lawyer")
    assert lawyer.real_name == "王德洲"
    assert where("lawyer")[0] == Practitioner.objects.get(name="王德洲").institution.name


def test_the_county_admin_sees_only_weidong():
    county_admin = User.objects.get(username="county_admin")
    admin = User.objects.get(username="admin")

    visible = restrict_to_regions(Institution.objects.all(), user=county_admin)

    assert visible.count() == Institution.objects.filter(region__path__startswith="41/4104/410403/").count()
    assert not visible.exclude(region__path__startswith="41/4104/410403/").exists()
    assert restrict_to_regions(Institution.objects.all(), user=admin).count() == 1941
