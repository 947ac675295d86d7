from django.db import migrations

from ulinzi import dbcompat


def rebuild(apps, schema_editor):
    """The R*Tree gains the event type as a fourth dimension: drop it and build it again."""
    dbcompat.drop_event_spatial_index(schema_editor)
    dbcompat.create_event_spatial_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_event_spatial_index")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
