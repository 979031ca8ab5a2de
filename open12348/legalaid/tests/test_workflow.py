from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.workflow import TRANSITIONS, actions_from, target


def test_every_action_leads_to_a_known_status_from_known_statuses():
    for sources, to in TRANSITIONS.values():
        assert to in S.values
        assert sources <= set(S.values)


def test_review_paths_of_the_law():
    assert target("supplement_request", S.UNDER_REVIEW) == S.SUPPLEMENT_REQUESTED
    assert target("supplement_expire", S.SUPPLEMENT_REQUESTED) == S.WITHDRAWN_DEEMED
    assert target("grant", S.UNDER_REVIEW) == S.APPROVED
    assert target("object", S.REJECTED) == S.OBJECTION
    assert target("objection_correct", S.OBJECTION) == S.APPROVED
    assert target("regularise", S.ADVANCE_AID) == S.APPROVED


def test_decided_and_notified_applications_cannot_be_decided_again():
    for status in (S.APPROVED, S.REJECTED, S.NOTIFIED, S.WITHDRAWN_DEEMED, S.WITHDRAWN):
        assert target("grant", status) is None
    assert "grant" not in actions_from(S.NOTIFIED)
    assert actions_from(S.WITHDRAWN) == []


def test_the_case_table_covers_the_life_of_a_case():
    from open12348.legalaid.choices import CaseStatus as C
    from open12348.legalaid.workflow import CASE_TRANSITIONS, case_actions_from, case_target

    for sources, to in CASE_TRANSITIONS.values():
        assert to in C.values and sources <= set(C.values)
    path = ["sign_agreement", "begin", "close", "archive_pass", "pay_subsidy", "evaluate"]
    status = C.ASSIGNED
    for action in path:
        status = case_target(action, status)
    assert status == C.EVALUATED
    assert case_target("close", C.ASSIGNED) is None  # no closing before the work began
    assert case_target("terminate", C.ARCHIVED) is None  # a finished case cannot be terminated
    assert set(case_actions_from(C.TERMINATED)) == {"object_termination"}
