"""Reviews receivers; register() is called from ReviewsConfig.ready()."""

from django.db.models.signals import post_migrate

STAFF_PERMISSIONS = [
    "reviews.view_review",
    "reviews.moderate_review",
    "reviews.view_reviewreport",
    "reviews.view_trendalert",
    "reviews.add_productnote",
    "reviews.change_productnote",
    "reviews.delete_productnote",
    "reviews.view_productnote",
    "reviews.add_productownership",
    "reviews.change_productownership",
    "reviews.delete_productownership",
    "reviews.view_productownership",
]


def _grant_staff_permissions(sender, **kwargs):
    # post_migrate is sent once per app; permissions exist only after the last one.
    from django.apps import apps

    # Only apps with a models module get the signal, so wait for the last of those.
    if (
        sender
        is not [
            config
            for config in apps.get_app_configs()
            if config.models_module is not None
        ][-1]
    ):
        return
    from portal.roles import staff_group_ensure

    staff_group_ensure(extra_permissions=STAFF_PERMISSIONS)


def _survey_answered(sender, *, product_id=None, **kwargs):
    # A new answer can change a reviewer's "Contacted support" label on that product.
    if product_id:
        from .cache import panel_invalidate

        panel_invalidate(product_id)


def register():
    from satisfaction.services import survey_answered

    post_migrate.connect(
        _grant_staff_permissions, dispatch_uid="reviews_staff_permissions"
    )
    survey_answered.connect(_survey_answered, dispatch_uid="reviews_contact_labels")
