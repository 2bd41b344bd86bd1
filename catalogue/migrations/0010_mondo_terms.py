import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_variable_figures")]

    operations = [
        migrations.CreateModel(
            name="MondoTerm",
            fields=[
                (
                    "id",
                    models.CharField(help_text="e.g. MONDO:0018874", max_length=13, primary_key=True, serialize=False),
                ),
                ("name", models.CharField(max_length=200)),
                (
                    "doid",
                    models.CharField(
                        blank=True,
                        help_text="Human Disease Ontology id, e.g. DOID:9119.",
                        max_length=20,
                        verbose_name="DOID",
                    ),
                ),
                (
                    "parents",
                    models.ManyToManyField(blank=True, related_name="children", to="catalogue.mondoterm"),
                ),
            ],
            options={"ordering": ["name"], "verbose_name": "MONDO term"},
        ),
        migrations.AddField(
            model_name="diseasearea",
            name="mondo",
            field=models.ForeignKey(
                blank=True,
                help_text="The area's MONDO term (its DOID is on the term).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disease_areas",
                to="catalogue.mondoterm",
            ),
        ),
        migrations.AddField(
            model_name="duoterm",
            name="definition",
            field=models.TextField(blank=True, help_text="The term's DUO description."),
        ),
        migrations.AddField(
            model_name="duoterm",
            name="example",
            field=models.TextField(blank=True, help_text="An example of a consent that carries the term."),
        ),
        migrations.AddField(
            model_name="consent",
            name="diseases",
            field=models.ManyToManyField(
                blank=True,
                help_text="DS only: the diseases the data may be used for (research on any of them, or on a subtype).",
                related_name="consents",
                to="catalogue.mondoterm",
            ),
        ),
    ]
