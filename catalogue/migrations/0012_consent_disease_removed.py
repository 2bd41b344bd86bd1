from django.db import migrations

DS = "DUO:0000007"


def name_an_area_again(apps, schema_editor):
    """Backwards only: the old schema requires a DS consent to name one disease area (the constraint put back next).
    Each consent gets the area of the first of its MONDO diseases that is one; a DS consent none of whose diseases
    is an area cannot be written back, and the migration stops naming those consents (nothing is half-done: the
    backwards migration runs in one transaction on PostgreSQL, and the constraint would refuse them anyway)."""
    consent = apps.get_model("catalogue", "Consent")
    disease_area = apps.get_model("catalogue", "DiseaseArea")
    areas = dict(disease_area.objects.filter(mondo_id__isnull=False).values_list("mondo_id", "pk"))
    unmapped = []
    for row in consent.objects.prefetch_related("diseases").order_by("pk"):
        area = next((areas[d.pk] for d in row.diseases.all() if d.pk in areas), None)
        if area is not None:
            row.disease_id = area
            row.save(update_fields=["disease"])
        elif row.permission_id == DS:
            unmapped.append(row.pk)
    if unmapped:
        raise RuntimeError(
            f"DS consent(s) {', '.join(map(str, unmapped))} name no disease that is a disease area of the older "
            "schema; name one (or change the permission) before migrating back."
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0011_mondo_reference_data")]

    operations = [
        migrations.RemoveConstraint(model_name="consent", name="consent_ds_names_disease"),
        # Forwards nothing (0011 copied the areas into ``diseases``); backwards it fills ``disease`` before the
        # constraint that requires it returns.
        migrations.RunPython(migrations.RunPython.noop, name_an_area_again),
        migrations.RemoveField(model_name="consent", name="disease"),
    ]
