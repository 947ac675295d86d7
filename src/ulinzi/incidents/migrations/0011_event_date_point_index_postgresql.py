from django.db import migrations

from ulinzi import dbcompat


def replace(apps, schema_editor):
    dbcompat.replace_event_point_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_event_type_date_index_postgresql")]

    operations = [migrations.RunPython(replace, migrations.RunPython.noop)]
