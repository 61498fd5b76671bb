from django.urls import path

from . import views
from .contact import views as contact_views

app_name = "satisfaction"

urlpatterns = [
    path("satisfaction/", views.meter, name="meter"),
    path("satisfaction/meter.json", views.meter_json, name="meter_json"),
    path("satisfaction/live/", views.live_stream, name="live"),
    path("satisfaction/trend/", views.trend_fragment, name="trend_svg"),
    path("satisfaction/method/", views.method, name="method"),
    path("satisfaction/data/", views.data, name="data"),
    path("satisfaction/data/answers.csv", views.answers_csv, name="answers_csv"),
    path("satisfaction/data/answers.json", views.answers_json, name="answers_json"),
    path("satisfaction/data/invitations.csv", views.invitations_csv, name="invitations_csv"),
    path("satisfaction/data/chain.json", views.chain_json, name="chain_json"),
    path("satisfaction/data/chain.csv", views.chain_csv, name="chain_csv"),
    path("satisfaction/badge/", views.badge, name="badge"),
    path("satisfaction/badge.svg", views.badge_svg, name="badge_svg"),
    path("satisfaction/badge.html", views.badge_embed, name="badge_embed"),
    path("satisfaction/survey/<str:token>/", views.survey, name="survey"),
    path("satisfaction/interactions/<int:pk>/survey/", views.interaction_survey, name="interaction_survey"),
    path("contact/", contact_views.contact, name="contact"),
    path("contact/sent/", contact_views.contact_sent, name="contact_sent"),
    path("contact/confirm/<str:token>/", contact_views.contact_confirm, name="contact_confirm"),
    path("contact/thread/<str:token>/", contact_views.contact_reply, name="contact_reply"),
    path("contact/requests/<int:pk>/", contact_views.contact_request, name="contact_request"),
]
