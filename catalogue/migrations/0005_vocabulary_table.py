import django.core.validators
from django.db import migrations, models

import catalogue.models.vocabularies


def load(apps, schema_editor):
    from catalogue.reference_data import load_vocabularies

    load_vocabularies(apps)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_consent_versions")]

    operations = [
        migrations.CreateModel(
            name="Vocabulary",
            fields=[
                (
                    "id",
                    models.CharField(
                        help_text="What dictionaries and the API write before the colon, e.g. NCIT in NCIT:C3171.",
                        max_length=10,
                        primary_key=True,
                        serialize=False,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z][A-Z0-9]*$", "Capital letters and digits, e.g. NCIT."
                            )
                        ],
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("iri", models.CharField(blank=True, max_length=200, verbose_name="IRI or namespace")),
                (
                    "code_pattern",
                    models.CharField(
                        help_text="Regular expression the whole code must match, e.g. C[0-9]{1,7}.",
                        max_length=200,
                        validators=[catalogue.models.vocabularies.validate_code_pattern],
                    ),
                ),
                (
                    "example",
                    models.CharField(help_text="A valid code, shown when a code does not match.", max_length=50),
                ),
                (
                    "aliases",
                    models.CharField(
                        blank=True,
                        help_text="Other spellings accepted on import, separated by |, e.g. NCI|NCIt.",
                        max_length=200,
                    ),
                ),
            ],
            options={"verbose_name_plural": "vocabularies"},
        ),
        # Every vocabulary existing concepts use (OMOP, LOINC, SNOMED, ICD10, HGNC) is in the shipped file.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
