from django.http import Http404

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions

from .models import Application, Objection


def access_application(*, user, id: int, for_update: bool = False) -> Application:
    """One application for a staff user: missing and outside their area are the same 404."""
    qs = restrict_to_regions(Application.objects.all(), user=user).select_related(
        "applicant", "agent", "centre", "region", "decided_by"
    )
    application = qs.filter(pk=id).first()
    if application is None:
        raise Http404
    return application


def access_objection(*, user, id: int) -> Objection:
    """An objection, through its application's region: outside the user's area is the same 404."""
    objection = (restrict_to_regions(Objection.objects.all(), user=user, region_field="application__region")
                 .select_related("application").filter(pk=id).first())
    if objection is None:
        raise Http404
    return objection


def access_application_file(*, user, id: int) -> Application:
    """An application's file (materials, documents): staff who may see the application, or the
    lawyer assigned to its case. Anyone else gets the same 404 as for a missing one."""
    if user_can(user, Capability.AID_VIEW):
        return access_application(user=user, id=id)
    if user_can(user, Capability.CASE_HANDLE):
        application = (Application.objects.filter(pk=id, case__lawyer_user=user)
                       .select_related("applicant", "centre", "region", "case").first())
        if application is not None:
            return application
    raise Http404
