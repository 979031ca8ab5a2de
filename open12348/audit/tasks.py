"""Background work of the audit log."""

from __future__ import annotations

from celery import shared_task

from .services import audit_chain_check


@shared_task(name="audit.check_chain", acks_late=True)
def check_chain_task() -> bool:
    """Nightly: verify the hash chain; a broken chain is logged at CRITICAL and the security
    administrators are notified. Read-only apart from the row recording the check."""
    intact, _broken_id = audit_chain_check()
    return intact
