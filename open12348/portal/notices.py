"""Versions of the privacy notices a citizen agrees to.

The words are in templates/portal/privacy/*.html. Changing what a notice says about a purpose
(what is collected, why, for how long, who sees it) means a new version here: the old consents
stay on record under the old version and citizens are asked again.
"""

from __future__ import annotations

from .choices import ConsentPurpose

NOTICE_VERSIONS: dict[str, str] = {
    ConsentPurpose.BASIC: "2025.1",
    ConsentPurpose.SENSITIVE: "2025.1",
    ConsentPurpose.ACCOUNT: "2025.1",
}


def current_notice_version(purpose: str) -> str:
    return NOTICE_VERSIONS[purpose]
