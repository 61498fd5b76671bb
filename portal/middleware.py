"""Keep customers out of the Wagtail admin with a clear 403, not a login loop."""

from django.core.exceptions import PermissionDenied

from .permissions import is_staff_member

ADMIN_PREFIX = "/admin/"
# The admin's own login and logout pages stay reachable so staff can sign in there.
ADMIN_OPEN = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class StaffOnlyAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(ADMIN_OPEN)
            and request.user.is_authenticated
            and not is_staff_member(request.user)
        ):
            raise PermissionDenied("Customers cannot use the staff admin.")
        return self.get_response(request)
