"""Read-only admin pieces: reviews belong to their authors, alerts and reports to the system."""

from django.urls import path
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes these rows in the admin, not even superusers:
    reviews belong to their authors, alerts and reports to the system."""

    denied = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [a for a in actions if a not in self.denied]
        )


class ReadOnlyViewSetMixin:
    """Only the listing (and inspect) views: no add, edit, copy or delete URLs at all."""

    copy_view_enabled = False

    def get_extra_urlpatterns(self):
        return []

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(
                path("inspect/<int:pk>/", self.inspect_view, name="inspect")
            )
        return [*patterns, *self.get_extra_urlpatterns()]
