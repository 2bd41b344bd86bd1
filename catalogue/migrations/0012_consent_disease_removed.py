from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0011_mondo_reference_data")]

    operations = [
        migrations.RemoveConstraint(model_name="consent", name="consent_ds_names_disease"),
        migrations.RemoveField(model_name="consent", name="disease"),
    ]
