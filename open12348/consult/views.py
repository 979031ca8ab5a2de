"""The staff console of online consultation: the duty lawyers' queue, answering, publishing to the
Q&A library, and following up dissatisfied ratings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_phone

from . import services, services_ratings
from .access import access_follow_up, access_library_entry, access_question
from .choices import FollowUpStatus, QuestionCategory, QuestionStatus, ReplyAuthor
from .forms import AnswerForm, DeclineForm, FollowUpCloseForm, PublishForm
from .scrub import scrub
from .selectors import QUEUE_VIEWS, follow_ups_visible_to, library_visible_to, question_queue_visible_to

PAGE_SIZE = 25


def _form_error(form, exc: ApplicationError) -> None:
    field = (exc.field or "").rsplit(".", 1)[-1]
    form.add_error(field if field in form.fields else None, str(exc.message))


@require_safe
@require_any_capability(Capability.CONSULT_ANSWER, Capability.CONSULT_MANAGE)
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view") or "waiting"
    if view not in QUEUE_VIEWS:
        view = "waiting"
    category = request.GET.get("category", "")
    if category not in QuestionCategory.values:
        category = ""
    questions = question_queue_visible_to(user=request.user, view=view, category=category)
    page_obj = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "view": view, "category": category, "categories": QuestionCategory.choices,
               "today": timezone.localdate(), "can_manage": user_can(request.user, Capability.CONSULT_MANAGE)}
    return render(request, "consult/queue.html", context)


def _detail_context(request: HttpRequest, question, *, answer_form=None, decline_form=None) -> dict:
    initial = {"version": question.version}
    replies = list(question.replies.select_related("author").order_by("created_at", "id"))
    return {
        "question": question, "replies": replies, "attachments": list(question.attachments.all()),
        "masked_phone": mask_phone(question.phone),
        "answer_form": answer_form or AnswerForm(initial=initial),
        "decline_form": decline_form or DeclineForm(initial=initial),
        "can_answer": user_can(request.user, Capability.CONSULT_ANSWER),
        "can_manage": user_can(request.user, Capability.CONSULT_MANAGE),
        "entry": getattr(question, "library_entry", None) if hasattr(question, "library_entry") else None,
        "today": timezone.localdate(), "lawyer": ReplyAuthor.LAWYER,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@require_any_capability(Capability.CONSULT_ANSWER, Capability.CONSULT_MANAGE)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(user=request.user, id=pk)
    if request.method == "GET":
        # The question is a citizen's own words about their affairs: every reading is on record.
        audit_record(actor=request.user, action="consult.question.view", obj=question)
        return render(request, "consult/question.html", _detail_context(request, question))
    action = request.POST.get("action")
    if action == "answer":
        form = AnswerForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.question_answer(actor=request.user, question=question, text=form.cleaned_data["text"],
                                         expected_version=form.cleaned_data["version"])
            except ApplicationError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Answer sent. The asker has been told by text message."))
                return redirect("consult:queue")
        question.refresh_from_db()
        return render(request, "consult/question.html", _detail_context(request, question, answer_form=form),
                      status=status)
    if action == "decline":
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.question_decline(actor=request.user, question=question, reason=form.cleaned_data["reason"],
                                          expected_version=form.cleaned_data["version"])
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The asker has been told where to get help."))
                return redirect("consult:queue")
        return render(request, "consult/question.html", _detail_context(request, question, decline_form=form),
                      status=400)
    raise Http404


@require_safe
@require_any_capability(Capability.CONSULT_ANSWER, Capability.CONSULT_MANAGE)
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    question = access_question(user=request.user, id=pk)
    row = question.attachments.filter(pk=attachment_id).first()
    if row is None:
        raise Http404
    audit_record(actor=request.user, action="consult.attachment.download", obj=row, extra={"question": question.pk})
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, as_attachment=True,
                            filename=row.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _publish_initial(question) -> tuple[dict, dict]:
    """The texts to start from: the library entry if there is one, else the scrubbed question and answers."""
    entry = getattr(question, "library_entry", None) if hasattr(question, "library_entry") else None
    if entry is not None:
        return ({"title": entry.title, "category": entry.category, "question_text": entry.question_text,
                 "answer_text": entry.answer_text}, {})
    asked = scrub(question.text)
    answers = [r.text for r in question.replies.filter(author_kind=ReplyAuthor.LAWYER).order_by("created_at", "id")]
    answered = scrub("\n\n".join(answers))
    found = asked.found + answered.found
    title = asked.text.replace("\n", " ")[:services.TITLE_MAX]
    return ({"title": title, "category": question.category, "question_text": asked.text,
             "answer_text": answered.text}, dict(found))


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.CONSULT_MANAGE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(user=request.user, id=pk)
    initial, found = _publish_initial(question)
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.library_publish(actor=request.user, question=question, title=data["title"],
                                             question_text=data["question_text"], answer_text=data["answer_text"],
                                             category=data["category"], checked=data["checked"])
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Published in the Q&A library: %(title)s") % {"title": entry.title})
            return redirect("consult:library")
    audit_record(actor=request.user, action="consult.question.view", obj=question, extra={"for": "publish"})
    replies = list(question.replies.order_by("created_at", "id"))
    context = {"question": question, "replies": replies, "form": form, "found": found,
               "publishable": question.wants_public and question.status in (QuestionStatus.ANSWERED,
                                                                             QuestionStatus.CLOSED)}
    return render(request, "consult/publish.html", context, status=400 if form.errors else 200)


@require_safe
@require_capability(Capability.CONSULT_MANAGE)
def library(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(library_visible_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consult/library.html", {
        "page_obj": page_obj, "can_promote": request.user.can(Capability.HOTLINE_MANAGE)})


@require_POST
@require_capability(Capability.CONSULT_MANAGE)
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_library_entry(user=request.user, id=pk)
    try:
        services.library_unpublish(actor=request.user, entry=entry)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Taken out of the Q&A library."))
    return redirect("consult:library")


@require_POST
@require_capability(Capability.HOTLINE_MANAGE)
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_library_entry(user=request.user, id=pk)
    try:
        article = services.library_promote(actor=request.user, entry=entry)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("consult:library")
    messages.success(request, _("Added to the hotline's knowledge base."))
    return redirect("hotline:article", article.pk)


@require_safe
@require_capability(Capability.FEEDBACK_FOLLOW_UP)
def followups(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or FollowUpStatus.OPEN
    if status not in FollowUpStatus.values:
        status = FollowUpStatus.OPEN
    page_obj = Paginator(follow_ups_visible_to(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "consult/followups.html", {"page_obj": page_obj, "status": status,
                                                      "today": timezone.localdate()})


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.FEEDBACK_FOLLOW_UP)
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(user=request.user, id=pk)
    form = FollowUpCloseForm()
    phone = ""
    status = 200
    if request.method == "POST" and request.POST.get("action") == "phone":
        phone = services_ratings.follow_up_reveal_phone(actor=request.user, follow_up=follow_up)
    elif request.method == "POST":
        form = FollowUpCloseForm(request.POST)
        if form.is_valid():
            try:
                services_ratings.follow_up_close(actor=request.user, follow_up=follow_up,
                                                 outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The follow-up is recorded."))
                return redirect("consult:followups")
        status = 400
    rating = follow_up.rating
    subject = rating.question or rating.case or rating.application
    context = {"follow_up": follow_up, "rating": rating, "subject": subject, "form": form, "phone": phone,
               "masked_phone": mask_phone(rating.phone), "today": timezone.localdate(),
               "subject_ref": services_ratings.subject_ref(subject)}
    return render(request, "consult/followup.html", context, status=status)
