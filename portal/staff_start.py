"""The staff start page: the Wagtail admin home lists today's work, each with a count and a link.

Each app adds its items through

    @hooks.register("candor_staff_start_items")
    def items(request) -> list[StartItem]

and answers for what the viewer may act on. Each item costs a bounded number of
queries (a count, or a count and a short list), whatever the amount of data.

Items that share a `key` are one kind of work owned by several apps (community
flags and review reports are both "flags to review"): they show as one line whose
count is the sum, with each app's part and link below it, so a count never reads 0
while another app's share of the same work waits.
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
    key: str = ""  # items with the same key are merged (see the module docstring)
    part_label: str = ""  # this item's share, named in the merged line
    parts: list = field(default_factory=list)  # [(part_label, count, url)] once merged


def merge_items(items: list[StartItem]) -> list[StartItem]:
    """One line per key, in order: summed counts, each contributor listed as a part."""
    merged: dict[str, StartItem] = {}
    out: list[StartItem] = []
    for item in sorted(items, key=lambda item: item.order):
        if not item.key:
            out.append(item)
            continue
        part = (item.part_label or item.label, item.count, item.url)
        if item.key not in merged:
            merged[item.key] = StartItem(
                label=item.label,
                count=0,
                url=item.url,
                order=item.order,
                key=item.key,
            )
            out.append(merged[item.key])
        line = merged[item.key]
        line.count += item.count
        line.details.extend(item.details)
        line.parts.append(part)
    for line in merged.values():
        if len(line.parts) < 2:
            line.parts = []
    return out


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
        return {"items": merge_items(items)}
