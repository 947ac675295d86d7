from django.db import migrations

from ulinzi import dbcompat


def create(apps, schema_editor):
    dbcompat.create_event_day_totals(schema_editor)


def drop(apps, schema_editor):
    dbcompat.drop_event_day_totals(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_event_day_totals")]

    operations = [migrations.RunPython(create, drop)]
