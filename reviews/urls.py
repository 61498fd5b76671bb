from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/write/<int:product_id>/", views.review_write, name="review_write"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review_delete"),
    path("reviews/<int:pk>/helpful/", views.review_helpful, name="review_helpful"),
    path("reviews/<int:pk>/report/", views.review_report, name="review_report"),
    path("reviews/<int:pk>/reply/", views.review_reply, name="review_reply"),
    path("reviews/<int:pk>/appeal/", views.review_appeal, name="review_appeal"),
]
