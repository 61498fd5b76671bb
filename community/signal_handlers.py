"""Community receivers; register() is called from CommunityConfig.ready()."""

from django.db.models.signals import post_migrate

# What the "Staff" group needs for the community's admin tools.
STAFF_PERMISSIONS = [
    "community.moderate_posts",
    "community.view_question",
    "community.change_question",
    "community.view_moderationdecision",
]


def _grant_staff_permissions(sender, **kwargs):
    # post_migrate is sent once per app that has models (in INSTALLED_APPS order);
    # every app's permissions exist only once the last of those has been sent.
    from django.apps import apps

    with_models = [
        config for config in apps.get_app_configs() if config.models_module is not None
    ]
    if sender is not with_models[-1]:
        return
    from portal.roles import staff_group_ensure

    staff_group_ensure(extra_permissions=STAFF_PERMISSIONS)


def register():
    post_migrate.connect(
        _grant_staff_permissions, dispatch_uid="community_staff_permissions"
    )
