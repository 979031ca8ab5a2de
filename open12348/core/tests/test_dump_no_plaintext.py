"""QUALITY.md, confidentiality at rest: a database dump holds no plaintext ID number or mobile number.

One record of every kind that holds personal data is written through the apps' own services, with
ID numbers and mobiles known to the test; then the whole database is dumped (SQLite: `iterdump`;
PostgreSQL: `pg_dump` of the test database) and searched. A canary row in a throwaway table with a
plaintext ID number and mobile proves that the search finds such values when they are there, so
the test fails as soon as someone adds a plaintext column and writes to it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from django.apps import apps
from django.db import connection
from django.test import TestCase

from open12348.core.idnumber import check_digit
from open12348.mediation.tests.conftest import TODAY, clock, world  # noqa: F401  (the 卫东区 world)

# Non-digit boundaries; a dot before the digits is a decimal fraction (0.250000000000000001), not an ID.
ID_NUMBER = re.compile(r"(?<![\d.])\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")
# What the search may skip: Fernet tokens and hexadecimal digests (blind indexes, audit hashes, ids),
# whose random characters can contain a run of digits by chance.
OPAQUE = re.compile(r"gAAAAA[A-Za-z0-9_\-]+=*|(?<![0-9A-Za-z])[0-9a-f]{32,}(?![0-9A-Za-z])")
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")

CANARY_TABLE = "crypto_dump_canary"
# The kinds of record `populate` writes; each holds an ID number, a mobile or both.
WRITTEN = (
    "legalaid.Person", "legalaid.Application", "mediation.Party", "frontdesk.ConsultationRecord",
    "consult.Question", "hotline.WorkOrder", "checkup.Enterprise", "checkup.NamedWorker", "video.VideoSession",
    "portal.CitizenAccount", "portal.ApplicationDraft", "notifications.OutboundMessage", "network.Practitioner",
    "accounts.TotpDevice",
)


def valid_id(first17: str) -> str:
    return first17 + check_digit(first17)


IDS = {
    "visitor": valid_id("41040319850317123"),
    "respondent": valid_id("41040319920815124"),
    "worker": valid_id("41040319880101127"),
    "practitioner": valid_id("41040219750606121"),
    "canary": valid_id("41040219990909123"),
}
PHONES = {
    "visitor": "13803751234",
    "respondent": "13903759876",
    "consultation": "15103750001",
    "asker": "15203750002",
    "caller": "15303750003",
    "enterprise": "15503750004",
    "worker": "15603750005",
    "video": "15703750006",
    "citizen": "15803750007",
    "staff_sms": "15903750008",
    "practitioner": "18603750009",
    "canary": "18703750010",
}


def findings(dump: str) -> list[str]:
    text = JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), dump)
    text = OPAQUE.sub(" ", text)
    return ID_NUMBER.findall(text) + MOBILE.findall(text)


def dump_database() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "--no-owner", "-h", settings.get("HOST") or "localhost",
               "-p", str(settings.get("PORT") or 5432), "-U", settings["USER"], settings["NAME"]]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def populate(data: dict) -> None:
    """One record of each kind, through the services that write them in production."""
    from open12348.accounts.services import totp_enrolment_start
    from open12348.checkup import services as checkup
    from open12348.checkup.tests.factories import enterprise
    from open12348.checkup.tests.factories import findings as checkup_findings
    from open12348.consult.tests.factories import ask
    from open12348.frontdesk import services as frontdesk
    from open12348.frontdesk.tests.test_frontdesk import two_requests
    from open12348.hotline.services.ingest import call_events_ingest
    from open12348.hotline.tests.factories import call_events, hotline_world, local
    from open12348.legalaid.services import application_decide
    from open12348.mediation import services as mediation
    from open12348.network.choices import InstitutionKind
    from open12348.network.tests.factories import InstitutionFactory, MembershipFactory, UserFactory
    from open12348.notifications.services import notify
    from open12348.portal import services as portal
    from open12348.portal.identity import citizen_phone_hash
    from open12348.portal.models import ApplicationDraft
    from open12348.video.services import session_request

    centre, office = data["centre"], data["office"]
    for practitioner in data["mediators"]:
        practitioner.id_number, practitioner.mobile = IDS["practitioner"], PHONES["practitioner"]
        practitioner.save()

    # The front desk: a visitor applying for legal aid (legalaid Person, Application) and asking for
    # mediation (mediation DisputeCase, Party with address), then both results told by SMS.
    visitor = {"name": "康建军", "id_number": IDS["visitor"], "phone": PHONES["visitor"], "address": "卫东区建设路1号"}
    requests = two_requests(data)
    requests[1]["respondents"] = [{"name": "王秀英", "id_number": IDS["respondent"], "phone": PHONES["respondent"],
                                   "address": "卫东区建设路3号"}]
    with TestCase.captureOnCommitCallbacks(execute=True):
        visit = frontdesk.visit_register(actor=data["window_staff"], desk=centre, person=visitor, requests=requests)
        aid, med = visit.tickets.order_by("id")
        application_decide(actor=data["director"], application=aid.application, decision="grant",
                           reasons="符合条件")
        for party in med.dispute.parties.all():
            mediation.party_consent_record(actor=data["mediator"], party=party, consents=True)
        mediation.agreement_make(actor=data["mediator"], case=med.dispute, made_on=TODAY,
                                 issues="双方均有责任", content="疏通排水沟", performance_manner="自行疏通",
                                 performance_due=TODAY)
        frontdesk.tickets_sync_open()
    frontdesk.consultation_record(actor=data["window_staff"], desk=centre, channel="phone", topic="工资",
                                  question="老板拖欠工资怎么办", answer="可申请劳动仲裁", name="李四",
                                  phone=PHONES["consultation"])

    # Online consultation (consult Question and its confirmation SMS).
    ask(data["regions"]["weidong"], phone=PHONES["asker"], send_sms=True)

    # The hotline: a call folded into a work order.
    hotline = hotline_world(lawyers=1)
    call_events_ingest(hotline=hotline["hotline"], actor=None,
                       events=call_events(at=local(2026, 3, 2), caller=PHONES["caller"], agent="duty1"))

    # An enterprise check-up with a named worker.
    city_bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="平顶山市司法局",
                                     region=data["regions"]["city"])
    city_admin = UserFactory(username="dump_city_admin")
    MembershipFactory(user=city_admin, institution=city_bureau, role="bureau_admin")
    campaign = checkup.campaign_create(actor=city_admin, name="法治体检", starts_on=dt.date(2026, 1, 1),
                                       ends_on=dt.date(2026, 12, 31), organiser=city_bureau,
                                       region=data["regions"]["city"], goal_enterprises=1)
    visit_day = TODAY
    checkup_visit = checkup.visit_save(
        actor=data["station"], campaign=campaign,
        enterprise=enterprise({"regions": data["regions"]}, region=data["regions"]["weidong_township"],
                              contact_phone=PHONES["enterprise"]),
        planned_on=visit_day, visited_on=visit_day, workers_interviewed=3,
        findings=checkup_findings(wages_on_time=(1, "拖欠工资")), opinion="建议按时发放工资。", recommendations="结清工资。",
        team_users=[data["station"]], team_practitioners=[], today=visit_day)
    checkup.worker_add(actor=data["station"], visit=checkup_visit, name="赵六", consent_given=True,
                       consent_note="口头同意", phone=PHONES["worker"], id_number=IDS["worker"], claim="欠薪八千元")

    # A video consultation requested by the township office.
    session_request(actor=data["station"], requesting_point=office, serving_point=centre,
                              mode="on_demand", visitor_name="李大爷", visitor_phone=PHONES["video"],
                              topic="儿子不给赡养费")

    # The portal: an SMS code, an account with its consent, an application draft.
    with TestCase.captureOnCommitCallbacks(execute=True):
        portal.sms_code_send(phone=PHONES["citizen"], ip="203.0.113.9")
    portal.account_open(phone=PHONES["citizen"])
    ApplicationDraft.objects.create(phone_hash=citizen_phone_hash(PHONES["citizen"]),
                                    answers={"phone": PHONES["citizen"], "id_number": IDS["visitor"]})

    # A staff notification sent by SMS, and a staff member's authenticator secret.
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify(recipient=data["reviewer"], kind="test", title="新申请待审查", sms=True, phone=PHONES["staff_sms"])
    totp_enrolment_start(user=data["reviewer"])


@pytest.fixture
def canary():
    """A throwaway table holding a plaintext ID number and mobile, as a forgotten column would."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {CANARY_TABLE} (id integer PRIMARY KEY, id_number text, phone text)")
        cursor.execute(f"INSERT INTO {CANARY_TABLE} VALUES (1, %s, %s)",  # noqa: S608
                       [f"身份证{IDS['canary']}", f"电话：{PHONES['canary']}。"])
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {CANARY_TABLE}")


@pytest.mark.django_db(transaction=True)  # pg_dump reads only what is committed
def test_a_dump_of_the_database_holds_no_plaintext_id_number_or_mobile(canary, world):  # noqa: F811
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed: the PostgreSQL dump cannot be taken")
    populate(world)
    for label in WRITTEN:
        assert apps.get_model(label).objects.exists(), f"no {label} was written: the dump would prove nothing"

    dump = dump_database()
    found = findings(dump)

    # The search works: it finds the canary's values, and only in the canary's table.
    assert sorted(found) == sorted([IDS["canary"], PHONES["canary"]]), found
    canary_lines = [line for line in dump.splitlines() if IDS["canary"] in line or PHONES["canary"] in line]
    assert canary_lines and all(CANARY_TABLE in line or line.startswith(("1\t", "1,")) for line in canary_lines)
    # And none of the values written through the services appears, in any form the search misses either.
    for value in [*IDS.values(), *PHONES.values()]:
        if value not in (IDS["canary"], PHONES["canary"]):
            assert value not in dump, value


def test_the_search_sees_through_json_escapes_and_ignores_ciphertext_and_digests():
    assert findings('{"note": "\\u7535\\u8bdd13803751234"}') == ["13803751234"]
    assert findings(f"'{IDS['visitor']}'") == [IDS["visitor"]]
    assert findings("89.250000000000000001, 'gAAAAABk13803751234xyz==', "
                    "'0a13803751234b410403198503171234ffffffffffffffff'") == []
    assert findings("138****1234 410403********1234") == []
