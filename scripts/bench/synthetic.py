"""A deterministic synthetic catalogue for the search benchmark, used only when ``seed_demo`` is unavailable.

About 10 datasets and 10,000 variables per unit of scale (``--scale 100`` ≈ 1,000 datasets and
1,000,000 variables), written with ``bulk_create``: realistic hematology variable names, labels
in several languages, HGNC/LOINC concepts on a share of them, diseases, data types and consents,
so facets and feasibility queries have something to chew on.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from catalogue.models import (
    Concept,
    Consent,
    Dataset,
    DataType,
    DiseaseArea,
    DuoTerm,
    Partner,
    PartnerKind,
    Variable,
)

DATASETS_PER_SCALE = 10
VARIABLES_PER_DATASET = 1000
COUNTRIES = ["DE", "FR", "IT", "ES", "NL", "BE", "SE", "DK", "AT", "CZ", "GB"]
CORE_VARIABLES = [
    ("npm1_status", "NPM1 mutation status", "HGNC", "NPM1"),
    ("flt3_itd_status", "FLT3-ITD status", "HGNC", "FLT3"),
    ("flt3_tkd_status", "FLT3-TKD status", "HGNC", "FLT3"),
    ("cebpa_status", "CEBPA biallelic mutation", "HGNC", "CEBPA"),
    ("tp53_status", "TP53 mutation status", "HGNC", "TP53"),
    ("runx1_status", "RUNX1 mutation", "HGNC", "RUNX1"),
    ("asxl1_status", "ASXL1 mutation", "HGNC", "ASXL1"),
    ("idh1_status", "IDH1 mutation", "HGNC", "IDH1"),
    ("idh2_status", "IDH2 mutation", "HGNC", "IDH2"),
    ("dnmt3a_status", "DNMT3A mutation", "HGNC", "DNMT3A"),
    ("karyotype", "Karyotype (ISCN)", "", ""),
    ("eln2022_risk", "ELN 2022 risk group", "", ""),
    ("ipss_r", "IPSS-R score", "", ""),
    ("iss_stage", "ISS stage", "", ""),
    ("riss_stage", "R-ISS stage", "", ""),
    ("date_of_diagnosis", "Date of diagnosis", "", ""),
    ("fecha_diagnostico", "Fecha de diagnóstico", "", ""),
    ("date_of_death", "Date of death", "", ""),
    ("response_cr1", "Response after induction (CR1)", "", ""),
    ("relapse_date", "Date of relapse", "", ""),
    ("wbc_count", "White blood cell count", "LOINC", "6690-2"),
    ("haemoglobin", "Hämoglobin", "LOINC", "718-7"),
    ("platelet_count", "Platelet count", "LOINC", "777-3"),
    ("bm_blasts", "Bone marrow blasts (%)", "LOINC", "11150-0"),
    ("ldh", "Lactate déshydrogénase", "LOINC", "2532-0"),
    ("age_at_diagnosis", "Age at diagnosis", "", ""),
    ("sex", "Sex", "", ""),
    ("ecog", "ECOG performance status", "", ""),
    ("transplant", "Allogeneic stem cell transplant", "", ""),
    ("mrd_status", "Measurable residual disease", "", ""),
]
ANALYTES = [
    "ferritin",
    "crp",
    "albumin",
    "creatinine",
    "bilirubin",
    "ast",
    "alt",
    "b2m",
    "igg",
    "iga",
    "kappa",
    "lambda",
]
WORDS = ["visit", "baseline", "cycle", "followup", "month", "week", "screening", "end", "treatment", "induction"]
DESCRIPTIONS = [
    "Measured at {when}; see the laboratory manual for the assay.",
    "Gemessen bei {when}, Zentrallabor München.",
    "Mesuré lors de {when}, laboratoire central de Lyon.",
    "Misurato al {when}, laboratorio centrale.",
    "Medido en {when}, laboratorio central de Sevilla.",
]
DISEASES = ["AML", "ALL", "CLL", "CML", "MDS", "MPN", "MM", "HL", "DLBCL", "FL", "MCL", "APL"]


def seed_synthetic(*, scale: int, seed: int = 42) -> dict[str, int]:
    """Create the synthetic catalogue (expects an empty catalogue). Returns dataset and variable counts."""
    rng = random.Random(seed)
    with transaction.atomic():
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    name=f"Bench Partner {i:02d}",
                    short_name=f"BP{i:02d}",
                    slug=f"bench-partner-{i:02d}",
                    country=COUNTRIES[i % len(COUNTRIES)],
                    kind=[PartnerKind.ACADEMIC, PartnerKind.PHARMA, PartnerKind.SME][i % 3],
                )
                for i in range(53)
            ]
        )
        concepts = {}
        for _, _, vocabulary, code in CORE_VARIABLES:
            if vocabulary and (vocabulary, code) not in concepts:
                concepts[(vocabulary, code)], _ = Concept.objects.get_or_create(
                    vocabulary_id=vocabulary, code=code, defaults={"name": code}
                )
        diseases = {d.code: d for d in DiseaseArea.objects.all()}
        data_types = list(DataType.objects.all())
        permissions = list(DuoTerm.objects.filter(short_code__in=["GRU", "HMB", "DS", "NRES"]))
        now = timezone.now()
        dataset_count = DATASETS_PER_SCALE * scale
        datasets = Dataset.objects.bulk_create(
            [
                Dataset(
                    partner=partners[i % len(partners)],
                    title=f"{DISEASES[i % len(DISEASES)]} {rng.choice(['registry', 'trial', 'biobank'])} {i:05d}",
                    slug=f"bench-{i:05d}",
                    description=f"Synthetic {DISEASES[i % len(DISEASES)]} dataset number {i} for benchmarks.",
                    patient_count=rng.choice([40, 120, 350, 800, 1500, 6000]),
                    collection_start=datetime.date(1995 + i % 25, 1, 1),
                    collection_end=datetime.date(2000 + i % 25, 12, 31),
                    status="published" if i % 20 else "draft",
                    published_at=now if i % 20 else None,
                    keywords=["benchmark"],
                )
                for i in range(dataset_count)
            ],
            batch_size=1000,
        )
        through = Dataset.disease_areas.through
        through.objects.bulk_create(
            [
                through(dataset_id=d.pk, diseasearea_id=diseases[DISEASES[i % len(DISEASES)]].pk)
                for i, d in enumerate(datasets)
            ]
        )
        types_through = Dataset.data_types.through
        types_through.objects.bulk_create(
            [
                types_through(dataset_id=d.pk, datatype_id=t.pk)
                for d in datasets
                for t in rng.sample(data_types, k=rng.randint(1, 3))
            ]
        )
        Consent.objects.bulk_create(
            [
                Consent(
                    dataset=d,
                    form_version="v1",
                    participant_count=d.patient_count,
                    permission=(p := rng.choice(permissions)),
                    disease=diseases[DISEASES[i % len(DISEASES)]] if p.short_code == "DS" else None,
                )
                for i, d in enumerate(datasets)
            ]
        )
    variable_total = 0
    concept_through = Variable.concepts.through
    for dataset in datasets:
        with transaction.atomic():
            variables = []
            concept_for = {}
            for position in range(VARIABLES_PER_DATASET):
                if position < len(CORE_VARIABLES):
                    name, label, vocabulary, code = CORE_VARIABLES[position]
                    if vocabulary:
                        concept_for[name] = concepts[(vocabulary, code)]
                else:
                    analyte = ANALYTES[position % len(ANALYTES)]
                    word = WORDS[(position // len(ANALYTES)) % len(WORDS)]
                    name = f"{analyte}_{word}_{position}"
                    label = f"{analyte.upper()} at {word} {position}"
                description = rng.choice(DESCRIPTIONS).format(when=rng.choice(WORDS))
                variables.append(
                    Variable(
                        dataset=dataset,
                        name=name,
                        label=label,
                        description=description,
                        value_type="text" if position % 3 else "decimal",
                        position=position,
                    )
                )
            created = Variable.objects.bulk_create(variables, batch_size=2000)
            concept_through.objects.bulk_create(
                [
                    concept_through(variable_id=v.pk, concept_id=concept_for[v.name].pk)
                    for v in created
                    if v.name in concept_for
                ]
            )
            variable_total += len(created)
    return {"datasets": dataset_count, "variables": variable_total}
