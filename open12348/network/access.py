"""Loading one record for a staff user: missing and out-of-scope are the same 404."""

from django.http import Http404

from .selectors import institution_list_visible_to, practitioner_list_visible_to


def access_institution(*, user, id: int):
    obj = institution_list_visible_to(user=user).filter(pk=id).first()
    if obj is None:
        raise Http404
    return obj


def access_practitioner(*, user, id: int):
    obj = practitioner_list_visible_to(user=user).filter(pk=id).first()
    if obj is None:
        raise Http404
    return obj
