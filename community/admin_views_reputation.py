"""Staff tools for badges in the Wagtail admin: find a member's awards, withdraw one, allow it again.

Every decision goes through `community.badges` (the services of badges), so it
is checked, logged in the moderation log with who and why, and respected by
the event-time task and `badgify_sync awards`.
"""

from badgify.models import Award
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import badges
from .admin_views import ModeratorRequiredMixin, _admin_breadcrumbs, _CustomViewSet
from .forms_reputation import AllowBadgeForm, WithdrawBadgeForm
from .models import AwardWithdrawal

PER_PAGE = 50


class BadgeAwardsView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """A member's awards (search by username), each with "Withdraw"; and the withdrawals so far."""

    template_name = "community/admin/badge_awards.html"
    page_title = gettext_lazy("Badge awards")
    header_icon = "pick"

    def get_breadcrumbs_items(self):
        return _admin_breadcrumbs(self.page_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:150]
        awards = Award.objects.select_related("user", "badge__info").order_by("-awarded_at", "-pk")
        if query:
            awards = awards.filter(user__username__iexact=query) | awards.filter(user__email__iexact=query)
        context.update(
            query=query,
            page_obj=Paginator(awards, PER_PAGE).get_page(self.request.GET.get("page")),
            withdrawals=AwardWithdrawal.objects.select_related("user", "badge__info", "withdrawn_by")[:PER_PAGE],
            allow_form=AllowBadgeForm(),
        )
        return context


class WithdrawView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Withdraw one award: a reason (logged) and whether to tell the member."""

    template_name = "community/admin/badge_withdraw.html"
    page_title = gettext_lazy("Withdraw a badge")
    header_icon = "pick"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.award = Award.objects.select_related("user", "badge__info").filter(pk=kwargs["pk"]).first()
        if self.award is None:
            raise Http404

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("community_badge_awards:index"), "label": _("Badge awards")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(award=self.award, title=badges.badge_title_of(self.award.badge))
        context.setdefault("form", WithdrawBadgeForm())
        return context

    def post(self, request, *args, **kwargs):
        form = WithdrawBadgeForm(request.POST)
        if form.is_valid():
            try:
                badges.badge_award_withdraw(
                    award_id=self.award.pk,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    tell_member=form.cleaned_data["tell_member"],
                )
            except ValidationError as error:
                form.add_error("reason", error.messages[0])
            else:
                messages.success(
                    request,
                    _("Badge “%(title)s” withdrawn from %(user)s. It will not be awarded again automatically.")
                    % {"title": badges.badge_title_of(self.award.badge), "user": self.award.user.username},
                )
                return redirect(reverse("community_badge_awards:index") + f"?q={self.award.user.username}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AllowView(ModeratorRequiredMixin, TemplateView):
    """Lift a withdrawal (POST only): the next check or sync may award the badge again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        form = AllowBadgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the badge is allowed again."))
        else:
            badges.badge_withdrawal_lift(withdrawal_id=pk, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The badge is allowed again: the next check awards it if still earned."))
        return redirect("community_badge_awards:index")


class BadgeAwardsViewSet(_CustomViewSet):
    name = "community_badge_awards"
    url_prefix = "community/badge-awards"
    icon = "pick"
    menu_label = gettext_lazy("Badge awards")
    view_class = BadgeAwardsView

    def get_urlpatterns(self):
        return [
            path("", BadgeAwardsView.as_view(), name="index"),
            path("<int:pk>/withdraw/", WithdrawView.as_view(), name="withdraw"),
            path("withdrawals/<int:pk>/allow/", AllowView.as_view(), name="allow"),
        ]
