from django.db import migrations

from ulinzi import dbcompat


def create(apps, schema_editor):
    dbcompat.create_event_spatial_index(schema_editor)


def drop(apps, schema_editor):
    dbcompat.drop_event_spatial_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_event_reports_and_changes")]

    operations = [migrations.RunPython(create, drop)]
