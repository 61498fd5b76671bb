"""A URLconf with a view that fails, to check the styled 500 page."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), path("", include("portal.urls"))]
handler500 = "portal.views.server_error"
