"""Background work for customers: build a "download my data" file."""

from django_tasks import task


@task()
def data_export_build_task(*, export_id: int) -> bool:
    """Build the export and email its link; large accounts never slow a request."""
    from .services_customer import data_export_build

    export = data_export_build(export_id=export_id)
    return export is not None
