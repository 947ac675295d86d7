"""The claim's document becomes a foreign key to intake's Document (issue #5, the review queue).

The plain id column kept until now is renamed out of the way, the key added, and each stored id
copied when it names a document that exists (an id naming none could not be kept as a key, and
no path wrote one before the review queue); then the old column goes.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def copy_document_ids(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    claim = apps.get_model("claims", "Claim")
    document = apps.get_model("intake", "Document")
    held = set(document.objects.values_list("pk", flat=True))
    for pk, legacy in claim.objects.exclude(legacy_document_id=None).values_list("pk", "legacy_document_id"):
        if legacy in held:
            claim.objects.filter(pk=pk).update(document_id=legacy)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("intake", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("claim", "document_id", "legacy_document_id"),
        migrations.AddField(
            model_name="claim",
            name="document",
            field=models.ForeignKey(
                blank=True,
                help_text="the document the evidence spans index into",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="intake.document",
            ),
        ),
        migrations.RunPython(copy_document_ids, migrations.RunPython.noop),
        migrations.RemoveField("claim", "legacy_document_id"),
    ]
