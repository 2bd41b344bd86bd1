from django.db import migrations


def disease_areas_to_mondo(apps, schema_editor):
    """Each request's disease area becomes the area's MONDO term. A request naming an area without one (PTCL, WM)
    keeps no disease: a DS use without a disease is then not admitted by any DS consent (the safe side), and the
    requester names the disease again; the migration lists such requests."""
    access_request = apps.get_model("governance", "AccessRequest")
    for row in access_request.objects.filter(disease__isnull=False).select_related("disease"):
        if row.disease.mondo_id is None:
            print(  # noqa: T201 - the operator running migrate must see which requests need their disease again
                f"\n  Access request {row.pk} names disease area {row.disease.code}, which has no MONDO term: "
                "it now names no disease."
            )
            continue
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
