"""The PDF documents: what each form says, that services issue them, and that downloads are scoped and logged.

PDF text is checked with `pdf_text`, a small reader for what reportlab writes: it undoes the
stream filters (ASCII85, Flate) and decodes the string operands, which the CID font writes as
UCS-2 (UTF-16BE). It reads the stored bytes exactly as issued, so the same check works for a
rendered form and for a Document a service stored, without a PDF library or special render flags.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import zlib

import pytest
from django.core.files.storage import InMemoryStorage
from django.test import Client
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_id_number
from open12348.legalaid import documents, services
from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.documents import chinese_date, document_issue, render_document
from open12348.legalaid.models import Application, ApplicationEvent, Document

from .factories import MAN, WOMAN_ELDERLY, centre_setup, contract_dispute, wage_claim

pytestmark = pytest.mark.django_db

# An object's dictionary (never reaching back past its own "obj") and the stream that follows it.
STREAM = re.compile(rb"\bobj\s*<<((?:(?!obj\b).)*?)>>\s*stream\r?\n(.*?)endstream", re.S)
ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _strings(content: bytes) -> list[bytes]:
    """The literal strings `( … )` of a content stream, with escapes undone."""
    found, i = [], 0
    while i < len(content):
        if content[i] != ord("("):
            i += 1
            continue
        depth, i, out = 1, i + 1, bytearray()
        while depth:
            c = content[i]
            if c == ord("\\"):
                nxt = content[i + 1]
                if ord("0") <= nxt <= ord("7"):
                    digits = re.match(rb"[0-7]{1,3}", content[i + 1:i + 4]).group()
                    out.append(int(digits, 8))
                    i += 1 + len(digits)
                    continue
                out += ESCAPES.get(nxt, bytes([nxt]))
                i += 2
                continue
            depth += c == ord("(")
            depth -= c == ord(")")
            if depth:
                out.append(c)
            i += 1
        found.append(bytes(out))
    return found


def pdf_text(data: bytes) -> str:
    """Every text string the PDF's pages draw, joined: a wrapped line reads on without a break."""
    text = []
    for header, body in STREAM.findall(data):
        if b"/ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"/FlateDecode" in header:
            body = zlib.decompressobj().decompress(body)  # ignores the end-of-line before "endstream"
        if b"/Length1" in header or b"/Subtype /Image" in header:
            continue
        text += [s.decode("utf-16-be", errors="replace") for s in _strings(body)]
    return "".join(text)


@pytest.fixture
def setup():
    return centre_setup()


def create(setup, data=None, **kwargs):
    return services.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                       **(data or wage_claim()), **kwargs)


def stored_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


class TestRender:
    def test_the_date_is_written_the_chinese_way(self):
        assert chinese_date(dt.date(2026, 3, 2)) == "2026年3月2日"

    @pytest.mark.parametrize("kind", list(documents.TITLES))
    def test_every_form_names_the_centre_the_number_the_applicant_and_the_date(self, setup, kind):
        application = create(setup)
        if kind == documents.SUPPLEMENT_NOTICE:
            services.supplement_request(actor=setup["reviewer"], application=application, items=["身份证复印件"])
        data = render_document(kind, application, issued_on=dt.date(2026, 3, 2))
        text = pdf_text(data)
        assert data.startswith(b"%PDF-")
        assert documents.TITLES[kind] in text
        assert "卫东区法律援助中心" in text
        assert application.number in text
        assert "康建军" in text
        assert "2026年3月2日" in text
        assert "请求确认劳动关系或者支付劳动报酬" in text  # the matter in words, not its code
        # Only the masked ID number is ever printed.
        assert mask_id_number(MAN) in text
        assert MAN not in text

    def test_the_grant_states_the_form_of_aid_the_3_day_assignment_and_that_aid_is_free(self, setup):
        text = pdf_text(render_document("decision_grant", create(setup)))
        assert "劳动争议调解与仲裁代理" in text
        assert "三日内指派" in text and "第四十三条" in text
        assert "不得向你收取任何财物" in text and "第二十条" in text

    def test_the_refusal_gives_the_reasons_the_rules_and_how_to_object(self, setup):
        application = create(setup, contract_dispute())
        application.decision_reasons = "买卖合同纠纷不属于法律援助事项范围。"
        text = pdf_text(render_document("decision_refuse", application))
        assert "买卖合同纠纷不属于法律援助事项范围。" in text
        for rule in application.eligibility["rules"]:
            assert rule["code"] in text
        assert "卫东区司法局" in text  # the bureau the objection goes to
        assert "五日内" in text and "行政复议" in text and "行政诉讼" in text and "第四十九条" in text

    def test_the_agent_is_named_with_a_masked_id_number(self, setup):
        data = wage_claim(agent={"name": "康秀英", "id_number": WOMAN_ELDERLY})
        application = create(setup, data, agent_relationship="母亲")
        text = pdf_text(render_document("decision_grant", application))
        assert "代理申请人：康秀英" in text and "母亲" in text
        assert mask_id_number(WOMAN_ELDERLY) in text and WOMAN_ELDERLY not in text

    def test_what_staff_typed_is_printed_as_text_never_read_as_markup(self, setup):
        application = create(setup)
        application.decision_reasons = "收入<b>超过</b>标准 & 其他"
        text = pdf_text(render_document("decision_refuse", application))
        assert "收入<b>超过</b>标准 & 其他" in text

    def test_an_unknown_kind_is_refused(self, setup):
        with pytest.raises(ApplicationError) as exc:
            render_document("certificate", create(setup))
        assert exc.value.field == "kind"


class TestIssuedByTheServices:
    def test_granting_issues_the_grant_decision_with_a_timeline_event_and_an_audit_row(self, setup):
        application = create(setup)
        services.application_decide(actor=setup["reviewer"], application=application, decision="grant", reasons="")
        document = Document.objects.get(application=application)
        assert document.kind == "decision_grant" and document.title == "给予法律援助决定书"
        assert document.issued_by == setup["reviewer"]
        with document.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-")
        assert document.sha256 == hashlib.sha256(data).hexdigest()
        assert "〔" not in document.file.name and document.file.name.endswith(".pdf")
        event = application.events.get(kind="document_issued")
        assert event.data["document"] == document.pk
        assert AuditEvent.objects.filter(action="legalaid.document.issue", object_id=str(document.pk)).exists()

    def test_refusing_issues_the_refusal_with_its_reasons(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                    reasons="不属于法律援助事项范围")
        document = Document.objects.get(application=application)
        assert document.kind == "decision_refuse"
        assert "不属于法律援助事项范围" in stored_text(document)

    def test_a_request_for_materials_issues_one_notice_listing_every_item(self, setup):
        application = create(setup)
        items = ["身份证复印件", "劳动合同或者工资条", "欠薪证明"]
        request = services.supplement_request(actor=setup["reviewer"], application=application, items=items)
        document = Document.objects.get(application=application, kind="supplement_notice")
        text = stored_text(document)
        for number, item in enumerate(items, start=1):
            assert f"{number}. {item}" in text
        assert chinese_date(request.due) in text
        assert "视为撤回申请" in text and "一次性告知" in text

    def test_regularising_advance_aid_and_a_corrected_objection_issue_a_grant(self, setup):
        first = create(setup)
        services.advance_aid_grant(actor=setup["reviewer"], application=first, reason="仲裁时效将届满",
                                   limitation_deadline=dt.date.today() + dt.timedelta(days=3))
        assert not first.documents.exists()
        services.advance_aid_regularise(actor=setup["reviewer"], application=first, reasons="审查通过")
        assert list(first.documents.values_list("kind", flat=True)) == ["decision_grant"]

        second = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=second, decision="refuse", reasons="范围外")
        objection = services.objection_file(actor=setup["window_staff"], application=second, reasons="不服")
        services.objection_decide(actor=setup["bureau_admin"], objection=objection, correct=True, reasons="应予援助")
        assert list(second.documents.values_list("kind", flat=True)) == ["decision_refuse", "decision_grant"]

    def test_an_upheld_objection_issues_nothing_new(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                    reasons="范围外")
        objection = services.objection_file(actor=setup["window_staff"], application=application, reasons="不服")
        services.objection_decide(actor=setup["bureau_admin"], objection=objection, correct=False, reasons="维持")
        assert application.documents.count() == 1

    def test_documents_are_frozen_issuing_again_adds_a_new_one(self, setup):
        application = create(setup)
        first = document_issue(actor=setup["reviewer"], application=application, kind="decision_grant")
        with first.file.open("rb") as handle:
            first_bytes = handle.read()
        second = document_issue(actor=setup["reviewer"], application=application, kind="decision_grant")
        first.refresh_from_db()
        assert second.pk != first.pk and second.file.name != first.file.name
        with first.file.open("rb") as handle:
            assert handle.read() == first_bytes

    def test_a_user_from_another_district_cannot_issue_and_nothing_is_written(self, setup):
        application = create(setup)
        events = ApplicationEvent.objects.count()
        with pytest.raises(ApplicationError) as exc:
            document_issue(actor=setup["xinhua_reviewer"], application=application, kind="decision_grant")
        assert exc.value.status == 404
        assert not Document.objects.exists() and ApplicationEvent.objects.count() == events

    def test_when_the_file_store_is_down_the_decision_is_not_made_and_no_document_points_nowhere(
        self, setup, monkeypatch
    ):
        class FullDisk(InMemoryStorage):
            def _save(self, name, content):
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(Document._meta.get_field("file"), "storage", FullDisk())
        application = create(setup)
        with pytest.raises(ApplicationError) as exc:
            services.application_decide(actor=setup["reviewer"], application=application, decision="grant",
                                        reasons="")
        assert exc.value.code == "storage_failed"
        application.refresh_from_db()
        assert application.status == S.RECEIVED and not application.decision
        assert not Document.objects.exists()


class TestDownload:
    def test_staff_download_the_pdf_with_safe_headers_and_the_access_is_logged(self, setup):
        application = create(setup)
        services.application_decide(actor=setup["reviewer"], application=application, decision="grant", reasons="")
        document = application.documents.get()
        client = Client()
        client.force_login(setup["window_staff"])
        response = client.get(reverse("legalaid:document_download", args=[application.pk, document.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        with document.file.open("rb") as handle:
            assert body == handle.read()
        assert AuditEvent.objects.filter(action="legalaid.document.download", object_id=str(document.pk),
                                         actor=setup["window_staff"]).exists()

    def test_another_district_gets_404_and_no_access_is_logged(self, setup):
        application = create(setup)
        services.application_decide(actor=setup["reviewer"], application=application, decision="grant", reasons="")
        document = application.documents.get()
        client = Client()
        client.force_login(setup["xinhua_reviewer"])
        response = client.get(reverse("legalaid:document_download", args=[application.pk, document.pk]))
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="legalaid.document.download").exists()

    def test_a_document_of_another_application_is_404(self, setup):
        first = create(setup)
        services.application_decide(actor=setup["reviewer"], application=first, decision="grant", reasons="")
        second = create(setup, contract_dispute())
        client = Client()
        client.force_login(setup["reviewer"])
        response = client.get(reverse("legalaid:document_download", args=[second.pk, first.documents.get().pk]))
        assert response.status_code == 404
        assert Application.objects.count() == 2
