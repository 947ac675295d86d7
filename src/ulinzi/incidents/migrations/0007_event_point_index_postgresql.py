from django.db import migrations

from ulinzi import dbcompat


def create(apps, schema_editor):
    dbcompat.add_event_point_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_event_spatial_index_by_type")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
