"""Loading one consultation for whoever asks: missing and not yours are the same 404."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions

from .models import VideoSession

VIDEO_CAPABILITIES = (Capability.VIDEO_REQUEST, Capability.VIDEO_SERVE, Capability.VIDEO_MANAGE)


def sessions_for(user):
    """The consultations a user may see: those of their own points, those they are invited to, and
    (VIDEO_MANAGE) all in their region."""
    qs = VideoSession.objects.all()
    if not any(user_can(user, cap) for cap in VIDEO_CAPABILITIES):
        return qs.none()
    if user.is_superuser:
        return qs
    own = Q(invitations__user=user)
    institutions = list(user.memberships.filter(is_active=True).values_list("institution_id", flat=True))
    own |= Q(requesting_point_id__in=institutions) | Q(serving_point_id__in=institutions)
    if user_can(user, Capability.VIDEO_MANAGE):
        in_region = restrict_to_regions(qs, user=user).values("pk")
        own |= Q(pk__in=in_region)
    return qs.filter(own).distinct()


def access_session(*, user, id: int) -> VideoSession:
    session = (sessions_for(user).select_related("requesting_point", "serving_point", "region", "requested_by",
                                                 "served_by", "application").filter(pk=id).first())
    if session is None:
        raise Http404
    return session
