import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_request_disease_to_mondo")]

    operations = [
        migrations.RemoveConstraint(model_name="accessrequest", name="request_ds_names_disease"),
        migrations.RemoveField(model_name="accessrequest", name="disease"),
        migrations.RenameField(model_name="accessrequest", old_name="disease_term", new_name="disease"),
        migrations.AlterField(
            model_name="accessrequest",
            name="disease",
            field=models.ForeignKey(
                blank=True,
                help_text="The disease studied (a MONDO term): required for DS; for METHODS, the disease the methods are for.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalogue.mondoterm",
            ),
        ),
        migrations.AddConstraint(
            model_name="accessrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("purpose", "DS"), _negated=True) | models.Q(("disease__isnull", False)),
                name="request_ds_names_disease",
            ),
        ),
    ]
