from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import seo, views, views_customer, views_styleguide
from .api import api, api_not_found

account_patterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="portal/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", views.account, name="account"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("tokens/", views.api_token_create, name="api_token_create"),
    path("tokens/<int:pk>/delete/", views.api_token_delete, name="api_token_delete"),
    path("support/", views_customer.my_support, name="my_support"),
    path("data/", views_customer.data_export, name="data_export"),
    path("data/<str:token>/", views_customer.data_export_page, name="data_export_page"),
    path(
        "data/<str:token>/download/",
        views_customer.data_export_download,
        name="data_export_download",
    ),
    path("delete/", views_customer.account_delete, name="account_delete"),
]

portal_patterns = [
    path("account/", include(account_patterns)),
    path("people/<str:username>/", views.profile, name="profile"),
    path("search/", views.site_search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("styleguide/", views_styleguide.styleguide, name="styleguide"),
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/ready/", views.readiness, name="readiness"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", api_not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Each domain app owns its URLs; the include is by module name, not by import.
    path("", include("community.urls")),
    path("", include("reviews.urls")),
    path("", include("satisfaction.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "portal.views.server_error"
