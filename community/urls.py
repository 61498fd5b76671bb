"""Community URLs, all under /community/ (included by portal.urls by module name)."""

from django.urls import path

from . import views
from .known_problems import views as known_problem_views
from .suggested_edits import views as suggested_edit_views

app_name = "community"

urlpatterns = [
    path("community/", views.question_list, name="question_list"),
    path("community/tags/<str:tag>/", views.question_list, name="tag"),
    path(
        "community/known-problems/",
        known_problem_views.known_problem_list,
        name="known_problem_list",
    ),
    path("community/ask/", views.ask, name="ask"),
    path("community/ask/suggest/", views.ask_suggest, name="ask_suggest"),
    path("community/ask/answered/", views.ask_deflected, name="ask_deflected"),
    path("community/questions/<int:pk>/", views.question_link, name="question_link"),
    path(
        "community/questions/<int:pk>/edit/", views.question_edit, name="question_edit"
    ),
    path(
        "community/questions/<int:pk>/history/",
        views.question_history,
        name="question_history",
    ),
    path(
        "community/questions/<int:pk>/answer/",
        views.answer_create,
        name="answer_create",
    ),
    path("community/questions/<int:pk>/me-too/", views.me_too, name="me_too"),
    path(
        "community/questions/<int:pk>/known-problem/",
        known_problem_views.status_set,
        name="known_problem_set",
    ),
    path(
        "community/questions/<int:pk>/follow/",
        views.follow_question,
        name="follow_question",
    ),
    path("community/questions/<int:pk>/unaccept/", views.unaccept, name="unaccept"),
    path(
        "community/questions/<int:pk>/<slug:slug>/",
        views.question_detail,
        name="question_detail",
    ),
    path("community/answers/<int:pk>/", views.answer_link, name="answer_link"),
    path("community/answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path(
        "community/answers/<int:pk>/history/",
        views.answer_history,
        name="answer_history",
    ),
    path("community/answers/<int:pk>/accept/", views.accept, name="accept"),
    path("community/answers/<int:pk>/official/", views.official, name="official"),
    path("community/<str:kind>/<int:pk>/vote/", views.vote, name="vote"),
    path(
        "community/<str:kind>/<int:pk>/comment/",
        views.comment_create,
        name="comment_create",
    ),
    path("community/<str:kind>/<int:pk>/flag/", views.flag, name="flag"),
    path("community/follow/tag/<str:name>/", views.follow_tag, name="follow_tag"),
    path(
        "community/follow/product/<int:pk>/",
        views.follow_product,
        name="follow_product",
    ),
    path("community/notifications/", views.notifications, name="notifications"),
    path(
        "community/notifications/unread/",
        views.notifications_unread,
        name="notifications_unread",
    ),
    path(
        "community/notifications/read/",
        views.notifications_read,
        name="notifications_read",
    ),
    path(
        "community/notifications/<int:pk>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path(
        "community/notifications/settings/",
        views.notification_settings,
        name="notification_settings",
    ),
    path("community/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "community/review/suggested-edits/",
        suggested_edit_views.suggested_edit_queue,
        name="suggested_edit_queue",
    ),
    path(
        "community/review/suggested-edits/<int:pk>/",
        suggested_edit_views.suggested_edit_detail,
        name="suggested_edit_detail",
    ),
    path(
        "community/review/suggested-edits/<int:pk>/approve/",
        suggested_edit_views.suggested_edit_approve,
        name="suggested_edit_approve",
    ),
    path(
        "community/review/suggested-edits/<int:pk>/reject/",
        suggested_edit_views.suggested_edit_reject,
        name="suggested_edit_reject",
    ),
]

# Reputation and badges (community/views_reputation.py).
from . import views_issuer, views_reputation  # noqa: E402

urlpatterns += [
    path("community/reputation/", views_reputation.reputation_help, name="reputation_help"),
    path("community/members/<str:username>/reputation/", views_reputation.reputation_events, name="reputation_events"),
    path("community/badges/", views_reputation.badge_list, name="badge_list"),
    path("community/badges/notices/read/", views_reputation.award_notices_read, name="award_notices_read"),
    path("community/badges/awards/<int:pk>/", views_reputation.award_detail, name="award_detail"),
    path("community/badges/awards/<int:pk>/credential.json", views_reputation.award_credential, name="award_credential"),
    path("community/badges/awards/<int:pk>/credential.jwt", views_reputation.award_credential_jwt, name="award_credential_jwt"),
    path(".well-known/jwks.json", views_issuer.jwks, name="issuer_jwks"),
    path(".well-known/did.json", views_issuer.did_document, name="issuer_did"),
    path("community/badges/<slug:slug>/", views_reputation.badge_detail, name="badge_detail"),
    path("community/leaderboard/", views_reputation.leaderboard, name="leaderboard"),
    path("community/leaderboard/products/<slug:product_slug>/", views_reputation.leaderboard, name="leaderboard_product"),
    path("community/leaderboard/tags/<str:tag>/", views_reputation.leaderboard, name="leaderboard_tag"),
    path("community/questions/<int:pk>/tags/edit/", views_reputation.question_retag, name="question_retag"),
]
