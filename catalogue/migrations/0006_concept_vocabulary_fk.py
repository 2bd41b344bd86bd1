import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Concept.vocabulary becomes a key to the Vocabulary table; the column and its values are unchanged."""

    dependencies = [("catalogue", "0005_vocabulary_table")]

    operations = [
        migrations.AlterModelOptions(name="concept", options={"ordering": ["vocabulary_id", "code"]}),
        migrations.AlterField(
            model_name="concept",
            name="vocabulary",
            field=models.ForeignKey(
                db_column="vocabulary",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concepts",
                to="catalogue.vocabulary",
            ),
        ),
    ]
