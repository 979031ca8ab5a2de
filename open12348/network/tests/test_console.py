"""The staff console for the network: data scope, masking, the audited reveal, and the edit forms."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from open12348.accounts import roles
from open12348.accounts.models import User
from open12348.accounts.roles import Role
from open12348.audit.models import AuditEvent
from open12348.core.idnumber import check_digit
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution, Practitioner, Region, ServiceType
from open12348.network.selectors import institution_list_visible_to, practitioner_list_visible_to

from .factories import InstitutionFactory, PractitionerFactory, UserFactory, pingdingshan, staff_in

ID_FIRST17 = "41040219900101123"
ID_NUMBER = ID_FIRST17 + check_digit(ID_FIRST17)
MOBILE = "13812345678"
MASKED_ID = "410402********" + ID_NUMBER[-4:]
MASKED_MOBILE = "138****5678"


@pytest.fixture
def regions(db):
    return pingdingshan()


@pytest.fixture
def xinhua_firm(regions):
    return InstitutionFactory(region=regions["xinhua"], name="新华正义律师事务所")


@pytest.fixture
def weidong_firm(regions):
    return InstitutionFactory(region=regions["weidong"], name="卫东公平律师事务所")


@pytest.fixture
def xinhua_lawyer(xinhua_firm):
    return PractitionerFactory(institution=xinhua_firm, name="王德洲", id_number=ID_NUMBER, mobile=MOBILE)


@pytest.fixture
def weidong_lawyer(weidong_firm):
    return PractitionerFactory(institution=weidong_firm, name="李秀英", id_number=ID_NUMBER, mobile=MOBILE)


def _client_for(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


# --- data scope ----------------------------------------------------------------------------

def test_district_user_lists_only_their_district(client, regions, xinhua_firm, weidong_firm, xinhua_lawyer,
                                                   weidong_lawyer):
    user = staff_in(regions["weidong"])
    _client_for(client, user)

    institutions = client.get(reverse("network:console_institutions"))
    people = client.get(reverse("network:console_practitioners"))

    assert institutions.status_code == 200
    names = {i.name for i in institutions.context["page"].object_list}
    assert weidong_firm.name in names and xinhua_firm.name not in names
    assert [r["obj"].pk for r in people.context["rows"]] == [weidong_lawyer.pk]
    assert xinhua_lawyer.name not in _text(people)


def test_district_user_gets_404_for_the_other_districts_records(client, regions, xinhua_firm, xinhua_lawyer):
    _client_for(client, staff_in(regions["weidong"]))

    for url in (
        reverse("network:console_institution_detail", args=[xinhua_firm.pk]),
        reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk]),
        reverse("network:console_practitioner_detail", args=[999999]),  # missing looks the same
    ):
        assert client.get(url).status_code == 404


def test_city_user_sees_both_districts(client, regions, xinhua_firm, weidong_firm, xinhua_lawyer, weidong_lawyer):
    _client_for(client, staff_in(regions["city"]))

    names = {i.name for i in client.get(reverse("network:console_institutions")).context["page"].object_list}
    assert {xinhua_firm.name, weidong_firm.name} <= names
    assert client.get(reverse("network:console_institution_detail", args=[xinhua_firm.pk])).status_code == 200
    assert client.get(reverse("network:console_practitioner_detail", args=[weidong_lawyer.pk])).status_code == 200


def test_user_without_membership_sees_nothing(client, regions, xinhua_firm, xinhua_lawyer):
    loner = UserFactory()

    assert not institution_list_visible_to(user=loner).exists()
    assert not practitioner_list_visible_to(user=loner).exists()
    _client_for(client, loner)
    assert client.get(reverse("network:console_institutions")).status_code == 403
    assert client.get(reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk])).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, regions):
    response = client.get(reverse("network:console_institutions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- filters and pagination ----------------------------------------------------------------

def test_filters_by_kind_and_pinyin(client, regions, xinhua_firm):
    InstitutionFactory(region=regions["xinhua"], name="曙光人民调解委员会", kind=InstitutionKind.MEDIATION_COMMITTEE)
    _client_for(client, staff_in(regions["xinhua"]))
    url = reverse("network:console_institutions")

    by_kind = client.get(url, {"kind": InstitutionKind.MEDIATION_COMMITTEE}).context["page"].object_list
    by_initials = client.get(url, {"q": "xhzy"}).context["page"].object_list  # 新华正义

    assert [i.name for i in by_kind] == ["曙光人民调解委员会"]
    assert [i.name for i in by_initials] == [xinhua_firm.name]


def test_lists_paginate_by_twenty(client, regions):
    user = staff_in(regions["weidong"])  # its bureau is one institution in the district
    InstitutionFactory.create_batch(24, region=regions["weidong_township"])
    _client_for(client, user)
    url = reverse("network:console_institutions")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert first.context["page"].paginator.count == 25
    assert not {i.pk for i in first.context["page"].object_list} & {i.pk for i in second.context["page"].object_list}


@pytest.mark.parametrize("url_name", ["network:console_institutions", "network:console_practitioners"])
def test_list_query_count_does_not_grow_with_rows(client, regions, url_name):
    user = staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN)
    firm = InstitutionFactory(region=regions["xinhua"])
    PractitionerFactory(institution=firm, id_number=ID_NUMBER, mobile=MOBILE)
    _client_for(client, user)
    client.get(reverse(url_name))  # warm up session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for _ in range(15):
        PractitionerFactory(institution=InstitutionFactory(region=regions["xinhua"]), mobile=MOBILE)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(url_name))
    assert len(many) == len(few)


# --- masking and the audited reveal --------------------------------------------------------

def test_list_masks_private_fields_for_private_capability(client, regions, xinhua_lawyer):
    _client_for(client, staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN))

    page = _text(client.get(reverse("network:console_practitioners")))

    assert MASKED_ID in page and MASKED_MOBILE in page
    assert ID_NUMBER not in page and MOBILE not in page


def test_list_shows_nothing_private_without_the_capability(client, regions, xinhua_lawyer):
    _client_for(client, staff_in(regions["xinhua"], role=Role.WINDOW_STAFF))

    response = client.get(reverse("network:console_practitioners"))
    page = _text(response)

    assert xinhua_lawyer.name in page
    assert MASKED_ID not in page and MASKED_MOBILE not in page and ID_NUMBER not in page and MOBILE not in page
    assert response.context["show_private"] is False


def test_detail_shows_masks_and_reveal_button_only_with_capability(client, regions, xinhua_lawyer):
    url = reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk])
    admin = _client_for(client, staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN)).get(url)
    assert MASKED_ID in _text(admin) and ID_NUMBER not in _text(admin)
    assert 'name="reveal"' in _text(admin)

    client.logout()
    clerk = _client_for(client, staff_in(regions["xinhua"], role=Role.WINDOW_STAFF)).get(url)
    assert MASKED_ID not in _text(clerk) and 'name="reveal"' not in _text(clerk)


def test_reveal_shows_full_values_and_audits_every_view(client, regions, xinhua_lawyer):
    user = staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN)
    _client_for(client, user)
    url = reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk])

    first = client.post(url, {"reveal": "1"})
    second = client.post(url, {"reveal": "1"})

    assert first.status_code == 200
    assert ID_NUMBER in _text(first) and MOBILE in _text(first)
    assert "no-store" in first["Cache-Control"]
    rows = AuditEvent.objects.filter(action="network.practitioner.view_private")
    assert rows.count() == 2
    row = rows.first()
    assert (row.actor_id, row.object_type, row.object_id) == (user.pk, "network.practitioner", str(xinhua_lawyer.pk))
    assert row.result == "success"
    serialized = str(row.changes) + str(row.extra) + row.object_repr
    assert ID_NUMBER not in serialized and MOBILE not in serialized  # the log never holds the values
    assert second.status_code == 200


def test_reveal_without_capability_is_refused_audited_and_reveals_nothing(client, regions, xinhua_lawyer):
    user = staff_in(regions["xinhua"], role=Role.WINDOW_STAFF)
    _client_for(client, user)

    response = client.post(reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk]), {"reveal": "1"})

    assert response.status_code == 403
    assert ID_NUMBER not in _text(response) and MOBILE not in _text(response)
    denied = AuditEvent.objects.get(action="auth.permission_denied")
    assert (denied.actor_id, denied.result, denied.object_id) == (user.pk, "denied", str(xinhua_lawyer.pk))
    assert denied.extra["capability"] == "network.private"
    assert not AuditEvent.objects.filter(action="network.practitioner.view_private").exists()


def test_reveal_out_of_scope_is_404_and_not_logged_as_a_view(client, regions, xinhua_lawyer):
    _client_for(client, staff_in(regions["weidong"], role=Role.BUREAU_ADMIN))

    response = client.post(reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk]), {"reveal": "1"})

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="network.practitioner.view_private").exists()


def test_reveal_needs_csrf_token(regions, xinhua_lawyer):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN))

    response = csrf_client.post(reverse("network:console_practitioner_detail", args=[xinhua_lawyer.pk]),
                                {"reveal": "1"})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="network.practitioner.view_private").exists()


# --- edit and create forms (the four URLs proposed for network/urls.py) --------------------

@pytest.fixture
def edit_urls(db):
    try:
        reverse("network:console_institution_create")
    except NoReverseMatch:
        pytest.fail("network/urls.py lacks the console create/edit path() lines (see the helper's report)")


@pytest.fixture
def manager(client, regions):
    user = staff_in(regions["xinhua"], role=Role.BUREAU_ADMIN)
    client.force_login(user)
    return user


def _institution_post(institution: Institution, **overrides) -> dict:
    data = {
        "kind": institution.kind, "name": institution.name, "credit_code": institution.credit_code,
        "licence_no": institution.licence_no, "region": institution.region_id, "address": institution.address,
        "phone": institution.phone, "opening_hours": institution.opening_hours, "description": "",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_institution_edit_saves_through_service_with_audit(client, edit_urls, manager, xinhua_firm):
    url = reverse("network:console_institution_edit", args=[xinhua_firm.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _institution_post(xinhua_firm, phone="0375-7654321"))

    assert response.status_code == 302
    xinhua_firm.refresh_from_db()
    assert xinhua_firm.phone == "0375-7654321"
    row = AuditEvent.objects.get(action="network.institution.update")
    assert row.actor_id == manager.pk and row.changes["after"] == {"phone": "0375-7654321"}


def test_institution_edit_shows_service_error_at_its_field_and_keeps_input(client, edit_urls, manager, regions,
                                                                           xinhua_firm):
    InstitutionFactory(region=regions["xinhua"], credit_code="91410400MA44XXXX1A")
    url = reverse("network:console_institution_edit", args=[xinhua_firm.pk])

    response = client.post(url, _institution_post(xinhua_firm, credit_code="91410400MA44XXXX1A",
                                                  address="平顶山市新华区新写的地址"))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["credit_code"]
    assert 'data-field="credit_code"' in _text(response)
    assert "平顶山市新华区新写的地址" in _text(response)  # what was typed is still there
    xinhua_firm.refresh_from_db()
    assert xinhua_firm.credit_code == "" and xinhua_firm.address != "平顶山市新华区新写的地址"
    assert not AuditEvent.objects.filter(action="network.institution.update").exists()


def test_institution_create_in_scope_only(client, edit_urls, manager, regions):
    url = reverse("network:console_institution_create")
    base = {"kind": InstitutionKind.LAW_FIRM, "name": "河南新建律师事务所", "is_public": "on"}

    outside = client.post(url, {**base, "region": regions["weidong"].pk})
    inside = client.post(url, {**base, "region": regions["xinhua_township"].pk})

    assert outside.status_code == 200 and "region" in outside.context["form"].errors
    assert inside.status_code == 302
    created = Institution.objects.get(name="河南新建律师事务所")
    assert created.region == regions["xinhua_township"]
    assert AuditEvent.objects.filter(action="network.institution.create", object_id=str(created.pk)).count() == 1


def test_edit_needs_manage_capability_and_changes_nothing(client, edit_urls, regions, xinhua_firm):
    _client_for(client, staff_in(regions["xinhua"], role=Role.WINDOW_STAFF))
    url = reverse("network:console_institution_edit", args=[xinhua_firm.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, _institution_post(xinhua_firm, name="被改掉的名字")).status_code == 403
    xinhua_firm.refresh_from_db()
    assert xinhua_firm.name == "新华正义律师事务所"


def test_edit_out_of_scope_is_404(client, edit_urls, manager, weidong_firm, weidong_lawyer):
    assert client.get(reverse("network:console_institution_edit", args=[weidong_firm.pk])).status_code == 404
    assert client.get(reverse("network:console_practitioner_edit", args=[weidong_lawyer.pk])).status_code == 404


def test_practitioner_create_shows_licence_error_at_field(client, edit_urls, manager, xinhua_firm):
    response = client.post(reverse("network:console_practitioner_create"), {
        "kind": "lawyer", "name": "赵新人", "licence_no": "12345", "institution": xinhua_firm.pk, "is_public": "on",
        "languages": "普通话，河南话",
    })

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["licence_no"]
    assert "赵新人" in _text(response)
    assert not Practitioner.objects.filter(name="赵新人").exists()


def test_practitioner_edit_never_prefills_private_fields_and_blank_keeps_them(client, edit_urls, manager,
                                                                               xinhua_lawyer):
    url = reverse("network:console_practitioner_edit", args=[xinhua_lawyer.pk])
    page = _text(client.get(url))
    assert ID_NUMBER not in page and MOBILE not in page

    response = client.post(url, {
        "kind": "lawyer", "name": xinhua_lawyer.name, "sex": "M", "licence_no": xinhua_lawyer.licence_no,
        "institution": xinhua_lawyer.institution_id, "region": xinhua_lawyer.region_id, "practice_since": 2010,
        "languages": "普通话、英语", "is_public": "on", "id_number": "", "mobile": "",
    })

    assert response.status_code == 302
    xinhua_lawyer.refresh_from_db()
    assert (xinhua_lawyer.id_number, xinhua_lawyer.mobile) == (ID_NUMBER, MOBILE)
    assert xinhua_lawyer.practice_since == 2010 and xinhua_lawyer.languages == ["普通话", "英语"]


def test_practitioner_private_change_is_audited_as_protected(client, edit_urls, manager, xinhua_lawyer):
    url = reverse("network:console_practitioner_edit", args=[xinhua_lawyer.pk])

    response = client.post(url, {
        "kind": "lawyer", "name": xinhua_lawyer.name, "sex": "M", "licence_no": xinhua_lawyer.licence_no,
        "institution": xinhua_lawyer.institution_id, "practice_since": 2012, "is_public": "on",
        "mobile": "13900001111",
    })

    assert response.status_code == 302
    row = AuditEvent.objects.get(action="network.practitioner.update")
    assert row.changes == {"before": {"mobile": "[protected]"}, "after": {"mobile": "[protected]"}}
    xinhua_lawyer.refresh_from_db()
    assert xinhua_lawyer.mobile == "13900001111"


def test_manager_without_private_capability_gets_no_private_fields(client, edit_urls, regions, xinhua_lawyer,
                                                                   monkeypatch):
    monkeypatch.setitem(roles.ROLE_CAPABILITIES, Role.DIRECTOR,
                        frozenset({"console", "network.view", "network.manage"}))
    _client_for(client, staff_in(regions["xinhua"], role=Role.DIRECTOR))

    form = client.get(reverse("network:console_practitioner_edit", args=[xinhua_lawyer.pk])).context["form"]

    assert "id_number" not in form.fields and "mobile" not in form.fields


# --- Django admin: institutions and practitioners are read-only, private fields absent -------

def test_admin_practitioner_page_has_no_private_fields(client, regions, xinhua_lawyer):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)

    change = client.get(reverse("admin:network_practitioner_change", args=[xinhua_lawyer.pk]))
    changelist = client.get(reverse("admin:network_practitioner_changelist"))

    assert change.status_code == 200 and changelist.status_code == 200
    for response in (change, changelist):
        page = _text(response)
        assert ID_NUMBER not in page and MOBILE not in page and 'name="id_number"' not in page
    assert client.get(reverse("admin:network_practitioner_add")).status_code == 403
    assert client.get(reverse("admin:network_institution_add")).status_code == 403
    response = client.post(reverse("admin:network_institution_change", args=[xinhua_lawyer.institution_id]),
                           {"name": "改名"})
    assert response.status_code == 403
    assert Institution.objects.get(pk=xinhua_lawyer.institution_id).name == "新华正义律师事务所"


def test_admin_region_is_read_only_except_for_superusers_and_writes_are_audited(client, regions):
    manager = staff_in(regions["city"], role=Role.BUREAU_ADMIN)
    User.objects.filter(pk=manager.pk).update(is_staff=True)
    client.force_login(manager)
    change_url = reverse("admin:network_region_change", args=[regions["xinhua"].pk])
    assert client.get(change_url).status_code == 200  # may look
    assert client.post(change_url, {"name": "改名区"}).status_code == 403
    assert client.get(reverse("admin:network_region_add")).status_code == 403

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:network_region_add"), {
        "code": "410404", "name": "石龙区", "level": "county", "parent": regions["city"].pk,
    })

    assert response.status_code == 302
    shilong = Region.objects.get(code="410404")
    assert (shilong.path, shilong.depth) == ("41/4104/410404/", 2)
    row = AuditEvent.objects.get(action="admin.network.region.create")
    assert row.object_id == str(shilong.pk) and row.changes["after"]["path"] == "41/4104/410404/"


def test_admin_vocabulary_edits_need_manage_and_are_audited(client, regions):
    clerk = staff_in(regions["city"], role=Role.WINDOW_STAFF)
    manager = staff_in(regions["city"], role=Role.BUREAU_ADMIN)
    User.objects.filter(pk__in=[clerk.pk, manager.pk]).update(is_staff=True)
    url = reverse("admin:network_servicetype_add")
    data = {"code": "legal-aid", "name": "法律援助", "sort_order": 1}

    client.force_login(clerk)
    assert client.post(url, data).status_code == 403
    assert not ServiceType.objects.exists()

    client.force_login(manager)
    assert client.post(url, data).status_code == 302
    service = ServiceType.objects.get(code="legal-aid")
    change = client.post(reverse("admin:network_servicetype_change", args=[service.pk]),
                         {**data, "name": "法律援助申请"})
    assert change.status_code == 302
    update = AuditEvent.objects.get(action="admin.network.servicetype.update")
    assert update.changes == {"before": {"name": "法律援助"}, "after": {"name": "法律援助申请"}}
    assert AuditEvent.objects.filter(action="admin.network.servicetype.create", actor=manager).count() == 1
