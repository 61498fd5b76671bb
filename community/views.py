"""Community pages: each view parses input, calls one service or selector, and renders.

Writes are POSTs. A refused action (PermissionDenied, ValidationError from a
service) renders a short error page with 403/400 and changes nothing; a form
with bad input re-renders with its errors and a 400.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH as SEARCHED_MAX

from portal import ratelimit
from portal.selectors import product_list_live

from . import permissions, selectors, services
from .caching import anonymous_page_cache
from .forms import (
    AnswerForm,
    CommentForm,
    FlagForm,
    NotificationPreferenceForm,
    QuestionForm,
)
from .known_problems import selectors as known_problem_selectors
from .models import Answer, Comment, KnownProblemStatus, Notification, Question
from .suggested_edits import selectors as suggested_edit_selectors
from .suggested_edits import views as suggested_edit_views
from .suggested_edits.services import can_suggest_edit

SORT_LABELS = {
    "newest": gettext_lazy("Newest"),
    "active": gettext_lazy("Recently active"),
    "unanswered": gettext_lazy("Unanswered"),
    "metoo": gettext_lazy("Most “me too”"),
    "votes": gettext_lazy("Most votes"),
}
ANSWER_SORT_LABELS = {
    "score": gettext_lazy("Score"),
    "newest": gettext_lazy("Newest"),
    "oldest": gettext_lazy("Oldest"),
}
MAX_SUGGESTED = 10


def _refused(request, error, *, back: str = ""):
    """Render why an action was refused: 403 for permission, 400 for bad input."""
    status = 403 if isinstance(error, PermissionDenied) else 400
    if isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = str(error) or _("You may not do this.")
    return render(
        request,
        "community/action_refused.html",
        {"message": text, "back": back},
        status=status,
    )


def _int(value, default=0, *, low=0, high=MAX_SUGGESTED) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


# --------------------------------------------------------------------------- lists


@anonymous_page_cache
def question_list(request, tag: str = ""):
    """Newest, unanswered, most "me too", by tag, by product: paginated and filterable."""
    sort = request.GET.get("sort", "newest")
    if sort not in SORT_LABELS:
        sort = "newest"
    status = request.GET.get("status", "")
    if status not in Question.Status.values:
        status = ""
    tag = (tag or request.GET.get("tag", "")).strip()[:100]
    product_slug = request.GET.get("product", "").strip()[:100]
    product = (
        product_list_live().filter(slug=product_slug).first() if product_slug else None
    )
    questions = selectors.question_list_visible(
        sort=sort, tag=tag, product=product, status=status
    )
    page_obj = Paginator(questions, selectors.QUESTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    tag_obj = selectors.tag_get(name=tag) if tag else None
    if tag and tag_obj is None:
        raise Http404
    following = None
    if request.user.is_authenticated and (tag_obj or product):
        follows = selectors.followed_tags_and_products(user=request.user)
        following = (
            tag_obj.pk in follows["tags"]
            if tag_obj
            else product.pk in follows["products"]
        )
    return render(
        request,
        "community/question_list.html",
        {
            "page_obj": page_obj,
            "sort": sort,
            "sorts": SORT_LABELS,
            "status": status,
            "statuses": Question.Status.choices,
            "tag": tag_obj,
            "product": product,
            "products": product_list_live(),
            "following": following,
        },
    )


# --------------------------------------------------------------------------- asking


def _suggestion_counts(request) -> tuple[int, int]:
    return _int(request.POST.get("questions_suggested")), _int(
        request.POST.get("articles_suggested")
    )


@login_required
def ask(request):
    """Ask a question. Suggestions come first: live while typing (JS), or on a confirm step."""
    if request.method != "POST":
        initial = {
            "title": request.GET.get("title", "")[:200],
            "searched": request.GET.get("searched", "")[:SEARCHED_MAX],
        }
        product = (
            product_list_live()
            .filter(slug=request.GET.get("product", "")[:100])
            .first()
        )
        if product:
            initial["product"] = product
        return render(
            request,
            "community/question_form.html",
            {"form": QuestionForm(initial=initial)},
        )
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "community/question_form.html", {"form": form}, status=400
        )
    data = form.cleaned_data
    if request.POST.get("confirmed") != "1":
        suggestions = selectors.ask_suggestions(
            title=data["title"], product=data["product"]
        )
        if suggestions["questions"] or suggestions["articles"]:
            ratelimit.not_counted(request)  # only a saved question counts
            return render(
                request,
                "community/ask_confirm.html",
                {"form": form, "suggestions": suggestions},
            )
        questions_suggested = articles_suggested = 0
    else:
        questions_suggested, articles_suggested = _suggestion_counts(request)
    try:
        question = services.question_ask(
            author=request.user,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            product=data["product"],
            questions_suggested=questions_suggested,
            articles_suggested=articles_suggested,
            searched=data["searched"],
        )
    except ValidationError as error:
        form.apply_service_error(error)
        return render(
            request, "community/question_form.html", {"form": form}, status=400
        )
    messages.success(
        request, _("Your question is posted. You will be notified of answers.")
    )
    return redirect(question)


@require_GET
@cache_control(max_age=60, public=True)
def ask_suggest(request):
    """JSON for the ask page: closest questions (solved first) and articles for `q`."""
    product = None
    if request.GET.get("product"):
        product = (
            product_list_live()
            .filter(pk=_int(request.GET.get("product"), high=2**31))
            .first()
        )
    return JsonResponse(
        selectors.ask_suggestions(title=request.GET.get("q", ""), product=product)
    )


@require_POST
def ask_deflected(request):
    """ "This answered my question": count it, and go where the member found the answer."""
    product = None
    if request.POST.get("product"):
        product = (
            product_list_live()
            .filter(pk=_int(request.POST.get("product"), high=2**31))
            .first()
        )
    helpful_url = request.POST.get("helpful_url", "")
    questions_suggested, articles_suggested = _suggestion_counts(request)
    try:
        services.ask_deflection_record(
            user=request.user,
            title=request.POST.get("title", ""),
            product=product,
            helpful_url=helpful_url,
            questions_suggested=questions_suggested,
            articles_suggested=articles_suggested,
        )
    except ValidationError as error:
        return _refused(request, error, back=reverse("community:ask"))
    messages.success(request, _("Glad that helped! Thank you for telling us."))
    if helpful_url and url_has_allowed_host_and_scheme(
        helpful_url, allowed_hosts={request.get_host()}
    ):
        return redirect(helpful_url)
    return redirect("community:question_list")


# --------------------------------------------------------------------------- one question


def question_link(request, pk):
    question = selectors.question_get_for_display(pk=pk, viewer=request.user)
    return redirect(question, permanent=True)


def answer_link(request, pk):
    """A stable link to an answer: the question page that shows it, at its anchor."""
    answer = selectors.answer_get_for_viewer(pk=pk, viewer=request.user)
    page = selectors.answer_page_number(answer=answer)
    url = answer.question.get_absolute_url()
    if page > 1:
        url += "?" + urlencode({"page": page})
    return redirect(f"{url}#answer-{answer.pk}")


def _question_context(request, question, *, answer_form=None, comment_form=None):
    sort = request.GET.get("sort", "score")
    if sort not in ANSWER_SORT_LABELS:
        sort = "score"
    viewer = request.user
    answers = selectors.answer_list_for_question(
        question=question, viewer=viewer, sort=sort
    )
    paginator = Paginator(answers, selectors.ANSWERS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    pinned = (
        selectors.pinned_answers(question=question, viewer=viewer)
        if page_obj.number == 1
        else []
    )
    shown = [*pinned, *page_obj.object_list]
    state = selectors.viewer_state(viewer=viewer, question=question, answers=shown)
    can_answer = (
        permissions.can_answer(viewer, question) and state.own_answer_id is None
    )
    known_problem = known_problem_selectors.known_problem_of(question)
    return {
        "question": question,
        "known_problem": known_problem,
        "customers_affected": known_problem_selectors.customers_affected(question),
        "tags": [item.tag for item in question.tagged_items.all()],
        "question_comments": selectors.question_comments(
            question=question, viewer=viewer
        ),
        "pinned": pinned,
        "page_obj": page_obj,
        "answers": page_obj.object_list,
        "answer_total": paginator.count + len(pinned),
        "sort": sort,
        "sorts": ANSWER_SORT_LABELS,
        "state": state,
        "can_answer": can_answer,
        "can_accept": permissions.can_accept_answer(viewer, question),
        "can_mark_official": permissions.can_mark_official(viewer, question),
        "can_set_known_problem": permissions.can_mark_official(viewer, question),
        "known_problem_statuses": KnownProblemStatus.choices,
        "can_comment": permissions.can_comment(viewer, question),
        "can_me_too": permissions.can_me_too(viewer, question),
        "can_edit": permissions.can_edit_post(viewer, question),
        "can_suggest_edit": can_suggest_edit(viewer, question),
        "is_member": permissions.is_member(viewer),
        # Privileges earned with reputation: their buttons show only to holders,
        # and members without them are told what unlocks them.
        "can_vote_down": permissions.can_vote_down(viewer),
        "can_flag_posts": permissions.has_privilege(viewer, "flag"),
        "can_edit_others": permissions.has_privilege(viewer, "edit_others"),
        "can_retag": permissions.can_retag(viewer, question),
        "locked_privileges": permissions.privileges_locked(
            viewer, ("vote_down", "flag")
        ),
        "my_reputation": permissions.reputation_of(viewer)
        if permissions.is_member(viewer)
        else None,
        "answer_form": answer_form or (AnswerForm() if can_answer else None),
        "comment_form": comment_form or CommentForm(),
    }


@anonymous_page_cache
def question_detail(request, pk, slug):
    """The question, its pinned accepted and official answers, then the others, paginated."""
    question = selectors.question_get_for_display(pk=pk, viewer=request.user)
    if slug != question.slug:
        return redirect(question, permanent=True)
    return render(
        request, "community/question_detail.html", _question_context(request, question)
    )


@login_required
@require_POST
def answer_create(request, pk):
    question = selectors.question_get_visible(pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_post(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.apply_service_error(error)
        except PermissionDenied as error:
            return _refused(request, error, back=question.get_absolute_url())
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(answer.get_absolute_url())
    question = selectors.question_get_for_display(pk=pk, viewer=request.user)
    context = _question_context(request, question, answer_form=form)
    context["answer_form"] = form
    return render(request, "community/question_detail.html", context, status=400)


@login_required
def question_edit(request, pk):
    question = selectors.question_get_for_display(pk=pk, viewer=request.user)
    if not permissions.can_edit_post(request.user, question):
        if can_suggest_edit(request.user, question):
            return suggested_edit_views.suggest(request, question)
        raise PermissionDenied(permissions.edit_refusal(request.user))
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.question_edit(
                    question=question,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    product=data["product"],
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(
                    request,
                    _("Your changes are saved; the history keeps the earlier version."),
                )
                return redirect("community:question_link", pk=question.pk)
        return render(
            request,
            "community/question_edit.html",
            {"form": form, "question": question},
            status=400,
        )
    form = QuestionForm(
        initial={
            "title": question.title,
            "body": question.body,
            "tags": ", ".join(item.tag.name for item in question.tagged_items.all()),
            "product": question.product,
        }
    )
    return render(
        request, "community/question_edit.html", {"form": form, "question": question}
    )


@login_required
def answer_edit(request, pk):
    answer = selectors.answer_get_for_viewer(pk=pk, viewer=request.user)
    if not permissions.can_edit_post(request.user, answer):
        if can_suggest_edit(request.user, answer):
            return suggested_edit_views.suggest(request, answer)
        raise PermissionDenied(permissions.edit_refusal(request.user))
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_edit(
                    answer=answer,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(
                    request,
                    _("Your changes are saved; the history keeps the earlier version."),
                )
                return redirect(answer.get_absolute_url())
        return render(
            request,
            "community/answer_edit.html",
            {"form": form, "answer": answer},
            status=400,
        )
    form = AnswerForm(initial={"body": answer.body})
    return render(
        request, "community/answer_edit.html", {"form": form, "answer": answer}
    )


def question_history(request, pk):
    question = selectors.question_get_for_display(pk=pk, viewer=request.user)
    return render(
        request,
        "community/history.html",
        {
            "question": question,
            "post": question,
            "revisions": selectors.revision_history(post=question),
        },
    )


def answer_history(request, pk):
    answer = selectors.answer_get_for_viewer(pk=pk, viewer=request.user)
    return render(
        request,
        "community/history.html",
        {
            "question": answer.question,
            "post": answer,
            "revisions": selectors.revision_history(post=answer),
        },
    )


# --------------------------------------------------------------------------- small actions


def _post_for_action(kind: str, pk: int):
    if kind == "question":
        return selectors.question_get_visible(pk=pk)
    if kind == "answer":
        return selectors.answer_get_visible(pk=pk)
    raise Http404


@login_required
@require_POST
def vote(request, kind, pk):
    """Vote up, down, or withdraw ("clear") on a question or answer."""
    post = _post_for_action(kind, pk)
    value = {"up": 1, "down": -1, "clear": 0}.get(request.POST.get("value", ""))
    back = post.get_absolute_url()
    if value is None:
        return _refused(
            request, ValidationError(_("A vote is up, down or clear.")), back=back
        )
    try:
        services.vote_cast(user=request.user, value=value, **{kind: post})
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=back)
    return redirect(back if kind == "answer" else back + "#question")


@login_required
@require_POST
def accept(request, pk):
    answer = selectors.answer_get_visible(pk=pk)
    try:
        services.answer_accept(answer=answer, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=answer.question.get_absolute_url())
    if request.user.pk != answer.question.author_id:
        messages.success(
            request, _("Answer accepted on the asker's behalf; they have been told.")
        )
    else:
        messages.success(request, _("Answer accepted. Thank you for closing the loop!"))
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def unaccept(request, pk):
    question = selectors.question_get_visible(pk=pk)
    try:
        services.answer_unaccept(question=question, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=question.get_absolute_url())
    messages.success(request, _("The answer is no longer marked as accepted."))
    return redirect(question)


@login_required
@require_POST
def official(request, pk):
    answer = selectors.answer_get_visible(pk=pk)
    flag = request.POST.get("official", "1") == "1"
    try:
        services.answer_mark_official(answer=answer, by=request.user, official=flag)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=answer.question.get_absolute_url())
    messages.success(
        request, _("Official answer marked.") if flag else _("Official mark removed.")
    )
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def me_too(request, pk):
    question = selectors.question_get_visible(pk=pk)
    try:
        if request.POST.get("action") == "remove":
            services.me_too_remove(question=question, user=request.user)
            messages.success(request, _("Your “me too” is withdrawn."))
        else:
            services.me_too_add(question=question, user=request.user)
            messages.success(request, _("Counted. You will be notified of answers."))
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=question.get_absolute_url())
    return redirect(question.get_absolute_url() + "#question")


def _follow_back(request, default: str) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return back
    return default


@login_required
@require_POST
def follow_question(request, pk):
    question = selectors.question_get_visible(pk=pk)
    following = request.POST.get("following") == "1"
    services.follow_set(user=request.user, following=following, question=question)
    messages.success(
        request,
        _("You follow this question.")
        if following
        else _("You no longer follow this question."),
    )
    return redirect(_follow_back(request, question.get_absolute_url()))


@login_required
@require_POST
def follow_tag(request, name):
    tag = selectors.tag_get(name=name)
    if tag is None:
        raise Http404
    following = request.POST.get("following") == "1"
    services.follow_set(user=request.user, following=following, tag=tag)
    messages.success(
        request,
        (
            _("You follow the tag “%(tag)s”.")
            if following
            else _("You no longer follow “%(tag)s”.")
        )
        % {"tag": tag.name},
    )
    return redirect(
        _follow_back(request, reverse("community:tag", kwargs={"tag": tag.name}))
    )


@login_required
@require_POST
def follow_product(request, pk):
    product = get_object_or_404(product_list_live(), pk=pk)
    following = request.POST.get("following") == "1"
    services.follow_set(user=request.user, following=following, product=product)
    messages.success(
        request,
        (
            _("You follow %(product)s.")
            if following
            else _("You no longer follow %(product)s.")
        )
        % {"product": product.title},
    )
    return redirect(_follow_back(request, product.url))


@login_required
@require_POST
def comment_create(request, kind, pk):
    post = _post_for_action(kind, pk)
    question = post if kind == "question" else post.question
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                author=request.user, body=form.cleaned_data["body"], **{kind: post}
            )
        except (PermissionDenied, ValidationError) as error:
            return _refused(request, error, back=question.get_absolute_url())
        messages.success(request, _("Your comment is posted."))
        return redirect(comment.get_absolute_url())
    question = selectors.question_get_for_display(pk=question.pk, viewer=request.user)
    context = _question_context(request, question, comment_form=form)
    context["comment_error"] = (kind, pk)
    return render(request, "community/question_detail.html", context, status=400)


def _flag_target(kind: str, pk: int):
    if kind == "comment":
        comment = (
            Comment.objects.select_related("question", "answer__question")
            .filter(pk=pk, is_hidden=False)
            .first()
        )
        if comment is None:
            raise Http404
        return comment
    return _post_for_action(kind, pk)


@login_required
def flag(request, kind, pk):
    """Report a post to moderators (spam, rude, off-topic, or a note for staff)."""
    post = _flag_target(kind, pk)
    question = (
        post
        if isinstance(post, Question)
        else (
            post.question
            if isinstance(post, Answer)
            else (post.question or post.answer.question)
        )
    )
    try:  # the form only for members who may flag; others learn what unlocks it
        services.post_flag_check(user=request.user, post=post)
    except PermissionDenied as error:
        return _refused(request, error, back=question.get_absolute_url())
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_flag(
                user=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            return _refused(request, error, back=question.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Moderators will look at it."))
            return redirect(question)
    status = 400 if form.errors else 200
    return render(
        request,
        "community/flag_form.html",
        {"form": form, "post": post, "kind": kind, "question": question},
        status=status,
    )


# --------------------------------------------------------------------------- notifications


@login_required
def notifications(request):
    """The in-site list: unread first in bold, newest first, paginated."""
    page_obj = Paginator(
        selectors.notification_list_for(user=request.user), 30
    ).get_page(request.GET.get("page"))
    preference = services.notification_preference_get(user=request.user)
    return render(
        request,
        "community/notifications.html",
        {
            "page_obj": page_obj,
            "preference_form": NotificationPreferenceForm(
                initial={"email_mode": preference.email_mode}
            ),
            "follows": selectors.follow_list_for(user=request.user)[:50],
            "suggestions_waiting": suggested_edit_selectors.suggestion_pending_count_for(
                user=request.user
            ),
        },
    )


@require_GET
@never_cache
def notifications_unread(request):
    """JSON for the header's unread badge (zero for visitors)."""
    if not request.user.is_authenticated:
        return JsonResponse({"unread": 0})
    return JsonResponse(
        {"unread": selectors.notification_unread_count(user=request.user)}
    )


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("community:notifications")


@login_required
@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(
        user=request.user, notification_ids=[notification.pk]
    )
    return redirect(notification.get_absolute_url())


@login_required
@require_POST
def notification_settings(request):
    form = NotificationPreferenceForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            ValidationError(_("Choose how to be emailed.")),
            back=reverse("community:notifications"),
        )
    services.notification_preference_set(
        user=request.user, email_mode=form.cleaned_data["email_mode"]
    )
    messages.success(request, _("Your email preference is saved."))
    return redirect(_follow_back(request, reverse("community:notifications")))


@csrf_exempt
def unsubscribe(request, token):
    """One-click unsubscribe from an email: the GET only asks, the POST acts (link scanners
    open every link in a message, so a GET must never change anything).

    The POST needs no CSRF token: mail clients send it themselves for the message's
    `List-Unsubscribe-Post` header (RFC 8058), and the signed token in the URL is
    what authorises it (a forged POST would need the member's secret token)."""
    try:
        user, question = services.unsubscribe_token_read(token)
    except ValidationError as error:
        return _refused(request, error)
    if request.method == "POST":
        message = services.unsubscribe(token=token)
        return render(
            request, "community/unsubscribe.html", {"done": True, "message": message}
        )
    return render(
        request, "community/unsubscribe.html", {"done": False, "question": question}
    )
