from django.db import migrations


def disease_areas_to_mondo(apps, schema_editor):
    """Each request's disease area becomes the area's MONDO term (refused for an area without one)."""
    access_request = apps.get_model("governance", "AccessRequest")
    for row in access_request.objects.filter(disease__isnull=False).select_related("disease"):
        if row.disease.mondo_id is None:
            raise RuntimeError(
                f"Access request {row.pk} names disease area {row.disease.code}, which has no MONDO term: "
                "give the area one (catalogue/data/disease_areas.csv) before migrating."
            )
        row.disease_term_id = row.disease.mondo_id
        row.save(update_fields=["disease_term"])


def mondo_to_disease_areas(apps, schema_editor):
    access_request = apps.get_model("governance", "AccessRequest")
    disease_area = apps.get_model("catalogue", "DiseaseArea")
    for row in access_request.objects.filter(disease_term__isnull=False):
        row.disease = disease_area.objects.filter(mondo_id=row.disease_term_id).first()
        row.save(update_fields=["disease"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0006_intended_use_complete")]

    operations = [migrations.RunPython(disease_areas_to_mondo, mondo_to_disease_areas)]
