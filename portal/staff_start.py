"""The staff start page: the Wagtail admin home lists today's work, each with a count and a link.

Each app adds its items through

    @hooks.register("candor_staff_start_items")
    def items(request) -> list[StartItem]

and answers for what the viewer may act on. Each item costs a bounded number of
queries (a count, or a count and a short list), whatever the amount of data.
"""

from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.admin.ui.components import Component

from .permissions import is_staff_member

HOOK = "candor_staff_start_items"


@dataclass
class StartItem:
    label: str
    count: int
    url: str
    order: int = 100
    details: list = field(
        default_factory=list
    )  # [(text, url)] a few rows to start with


class StaffStartPanel(Component):
    name = "candor_staff_start"
    order = 50
    template_name = "portal/admin/staff_start_panel.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not is_staff_member(self.request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        items = [
            item for fn in hooks.get_hooks(HOOK) for item in (fn(self.request) or [])
        ]
        return {"items": sorted(items, key=lambda item: item.order)}
