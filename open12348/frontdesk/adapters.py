"""How a ticket reads its back office: one small adapter per kind of request.

An adapter answers `read(ticket) -> BackOfficeState`: the back office's own status (as its label),
whether the matter is finished there, and the result to pass on to the person. The front desk
pulls (`services.ticket_sync`) rather than the back offices pushing through signals, so legal aid
and mediation need not know the front desk exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import REFERRAL_KINDS, TicketKind


@dataclass(frozen=True)
class BackOfficeState:
    label: str
    started: bool
    done: bool
    result: str = ""


class LegalAidAdapter:
    """A legal aid application: done when it is decided or withdrawn."""

    DONE = frozenset({"approved", "rejected", "withdrawn", "withdrawn_deemed", "advance_aid"})
    NOT_STARTED = frozenset({"received"})

    def read(self, ticket) -> BackOfficeState:
        application = ticket.application
        if application is None:
            return BackOfficeState("", False, False)
        label = str(application.get_status_display())
        done = application.status in self.DONE
        result = _("Legal aid application %(number)s: %(status)s") % {"number": application.number, "status": label}
        return BackOfficeState(label, application.status not in self.NOT_STARTED, done, result if done else "")


class MediationAdapter:
    """A dispute case: done when mediation has ended (agreement, failure, withdrawal or refusal)."""

    def read(self, ticket) -> BackOfficeState:
        from open12348.mediation.choices import DisputeStatus
        from open12348.mediation.workflow import CLOSED

        dispute = ticket.dispute
        if dispute is None:
            return BackOfficeState("", False, False)
        label = str(dispute.get_status_display())
        done = dispute.status in CLOSED
        result = _("Mediation %(number)s: %(status)s") % {"number": dispute.number, "status": label}
        return BackOfficeState(label, dispute.status != DisputeStatus.AWAITING_CONSENT, done, result if done else "")


class RecordedAdapter:
    """Consultations and referrals: the result is what staff recorded on the ticket."""

    def read(self, ticket) -> BackOfficeState:
        done = bool(ticket.resolved_at)
        return BackOfficeState(str(ticket.get_status_display()), done, done, ticket.result if done else "")


ADAPTERS = {
    TicketKind.LEGAL_AID: LegalAidAdapter(),
    TicketKind.MEDIATION: MediationAdapter(),
    TicketKind.CONSULTATION: RecordedAdapter(),
    **{kind: RecordedAdapter() for kind in REFERRAL_KINDS},
}


def adapter_for(kind: str):
    return ADAPTERS[kind]
