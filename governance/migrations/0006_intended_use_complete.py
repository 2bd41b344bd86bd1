import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0011_mondo_reference_data"),
        ("governance", "0005_grant_released_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accessrequest",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("DS", "Disease-specific research"),
                    ("HMB", "Health, medical or biomedical research"),
                    ("GRU", "General research use"),
                    ("POA", "Population origins or ancestry research"),
                    ("METHODS", "Methods development only"),
                ],
                default="HMB",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="accessrequest",
            name="publication_date",
            field=models.DateField(
                blank=True,
                help_text="When results are first to be published.",
                null=True,
                verbose_name="planned publication date",
            ),
        ),
        migrations.AddField(
            model_name="accessrequest",
            name="countries_of_use",
            field=models.JSONField(
                blank=True, default=list, help_text="ISO 3166-1 codes of the countries where the data will be used."
            ),
        ),
        migrations.AddField(
            model_name="accessrequest",
            name="sensitive_research",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Sensitive research the project involves (catalogue.consent_matching.SENSITIVE_RESEARCH codes).",
            ),
        ),
        migrations.AddField(
            model_name="accessrequest",
            name="disease_term",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalogue.mondoterm",
            ),
        ),
    ]
