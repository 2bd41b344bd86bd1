from django.db import migrations


def forwards(apps, schema_editor):
    """Load the MONDO subset, DUO definitions and the areas' MONDO terms, then give every DS consent the MONDO
    term of the disease area it named. A DS consent on an area without a MONDO term (PTCL, WM) keeps no disease:
    the matcher then admits no disease-specific use of it, the safe side of a consent, and the migration says so;
    its curators name the disease again. Mapping it to an ancestor's term would widen what the consent admits."""
    from catalogue.reference_data import load_reference_data

    load_reference_data(apps)
    consent = apps.get_model("catalogue", "Consent")
    for row in consent.objects.filter(disease__isnull=False).select_related("disease"):
        if row.disease.mondo_id is None:
            print(  # noqa: T201 - the operator running migrate must see which consents need their disease again
                f"\n  Consent {row.pk} names disease area {row.disease.code}, which has no MONDO term: it now names "
                "no disease and admits no disease-specific use until its curators name one."
            )
            continue
        row.diseases.set([row.disease.mondo_id])


def backwards(apps, schema_editor):
    consent = apps.get_model("catalogue", "Consent")
    disease_area = apps.get_model("catalogue", "DiseaseArea")
    for row in consent.objects.prefetch_related("diseases"):
        first = next(iter(row.diseases.all()), None)
        if first is not None:
            row.disease = disease_area.objects.filter(mondo_id=first.pk).first()
            row.save(update_fields=["disease"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0010_mondo_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
