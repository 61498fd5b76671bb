"""The two roles: customers (every account) and staff (the "Staff" group).

Staff get exactly the Wagtail admin permissions they need to write, preview,
schedule and publish pages, manage images and documents, pin promoted search
results and set the branding.
Moderation permissions for the other apps are added to the same group by them.
"""

from django.contrib.auth.models import Group, Permission

STAFF_GROUP = "Staff"
STAFF_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "portal.change_branding",
    # Promoted search results ("best bets"), which the Search gaps report links to.
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
]
STAFF_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
STAFF_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()


def staff_group_ensure(extra_permissions: list[str] = ()) -> Group:
    """Create or complete the Staff group; safe to run any number of times."""
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    for dotted in [*STAFF_MODEL_PERMISSIONS, *extra_permissions]:
        permission = _permission(dotted)
        if permission:
            group.permissions.add(permission)
    root_page = Page.get_first_root_node()
    if root_page:
        for codename in STAFF_PAGE_PERMISSIONS:
            permission = _permission(f"wagtailcore.{codename}")
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
    root_collection = Collection.get_first_root_node()
    if root_collection:
        for dotted in STAFF_COLLECTION_PERMISSIONS:
            permission = _permission(dotted)
            if permission:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    return group


def user_make_staff(user) -> None:
    """Give `user` the staff role."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(staff_group_ensure())
