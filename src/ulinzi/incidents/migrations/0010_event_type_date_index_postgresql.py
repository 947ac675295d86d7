from django.db import migrations

from ulinzi import dbcompat


def create(apps, schema_editor):
    dbcompat.add_event_type_date_index(schema_editor)


def drop(apps, schema_editor):
    dbcompat.drop_event_type_date_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0009_event_day_total_triggers")]

    operations = [migrations.RunPython(create, drop)]
