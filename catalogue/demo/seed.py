"""Seeding the demo catalogue: deterministic (a seeded random generator), fast at any scale.

``seed_catalogue(scale=1)`` creates the 53 partners, the demo users and their memberships, and about
115 datasets with ~10,000 variables; ``scale`` multiplies datasets (and so variables): ``scale=100``
gives ~1 million variables. Rows are written with ``bulk_create`` in large batches and no per-row
queries; the invariants the services enforce (DUO rules, lifecycle dates, concept uniqueness) hold
by construction and by the database constraints. Every dataset is queued for the search index.

Idempotency: if the catalogue already has partners, nothing is written unless ``reset=True``,
which first deletes all catalogue data (datasets, variables, consents, distributions, partners,
memberships, concepts); the demo users are kept and updated, since the audit trail refers to them.
Governance data that protects datasets makes reset fail with a clear message rather than leave a
half-deleted catalogue.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from catalogue.countries import COUNTRIES
from catalogue.demo.partner_dictionaries import PARTNER_DICTIONARIES, PartnerDictionary
from catalogue.demo.partners import DEMO_PARTNERS
from catalogue.demo.users import ADMIN, DEMO_PASSWORD, DEMO_USERS
from catalogue.demo.variables import (
    BY_DISEASE,
    COMMON,
    LAB_TESTS,
    PRO_VARIABLES,
    TIME_POINTS,
    VariableTemplate,
    disease_family,
)
from catalogue.importers.dictionary import import_data_dictionary
from catalogue.models import (
    Concept,
    Consent,
    DataModel,
    Dataset,
    DatasetStatus,
    DataType,
    DataUseModifier,
    DiseaseArea,
    Distribution,
    DistributionKind,
    DuoTerm,
    Membership,
    MondoTerm,
    Partner,
    PartnerKind,
    Variable,
)
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.concepts import ConceptRef, concept_ids_for
from catalogue.services.memberships import membership_grant

SEED = 20_240_601
#: The demo curator's partner (UKHD) always holds published, draft and retired datasets to show.
_DEMO_CURATOR_STATUSES = {
    0: DatasetStatus.PUBLISHED,
    1: DatasetStatus.DRAFT,
    2: DatasetStatus.RETIRED,
    3: DatasetStatus.PUBLISHED,
}
VARIABLE_BATCH = 20_000

#: (primary disease code, weight) — AML and myeloma are the most common holdings, as in HARMONY.
DISEASE_WEIGHTS = (
    ("AML", 9), ("APL", 1), ("MDS", 5), ("MM", 7), ("CLL", 5), ("CML", 3), ("PV", 1), ("ET", 1), ("PMF", 1),
    ("MPN", 1), ("ALL", 4), ("DLBCL", 4), ("FL", 2), ("MCL", 1), ("MZL", 1), ("BL", 1), ("PTCL", 1), ("WM", 1),
    ("HL", 1), ("CHL", 2), ("NLPHL", 1), ("NHL", 1),
)  # fmt: skip
DATASETS_PER_KIND = {
    PartnerKind.ACADEMIC: (2, 3),
    PartnerKind.OTHER: (3, 5),
    PartnerKind.PHARMA: (1, 3),
    PartnerKind.PATIENT_ORG: (1, 1),
    PartnerKind.REGULATOR: (0, 0),
    PartnerKind.SME: (0, 1),
}
GENOMIC_TYPES = ("wgs", "wes", "rna-seq", "targeted-panel")
#: The countries a GS (geographical restriction) demo consent admits: the EU/EEA members of catalogue.countries.
EU_EEA = ", ".join(code for code in sorted(COUNTRIES) if code not in {"CH", "GB", "US", "CA", "IL"})
#: Consent profiles: (permission, [(modifier, until)]); DS takes the dataset's disease.
CONSENT_PROFILES: tuple[tuple[str, tuple[tuple[str, datetime.date | None], ...]], ...] = (
    ("HMB", (("NPU", None), ("PUB", None))),
    ("DS", (("IRB", None),)),
    ("GRU", (("NCU", None),)),
    ("HMB", (("COL", None), ("IRB", None))),
    ("DS", (("MOR", datetime.date(2027, 6, 30)), ("PUB", None))),
    ("HMB", (("TS", datetime.date(2030, 12, 31)),)),
    ("GRU", (("NPUNCU", None), ("GS", None))),
    ("HMB", ()),
    ("DS", (("NPU", None), ("IRB", None), ("PUB", None))),
    ("GRU", ()),
)


@dataclass
class SeedReport:
    skipped: bool = False
    partners: int = 0
    users: int = 0
    datasets: int = 0
    variables: int = 0
    consents: int = 0
    distributions: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if self.skipped:
            return "The catalogue already has data: nothing seeded (use --reset to replace it with the demo)."
        return (
            f"Seeded {self.partners} partners, {self.users} users, {self.datasets} datasets, "
            f"{self.variables} variables, {self.consents} consents, {self.distributions} distributions "
            f"in {self.seconds:.1f} s."
        )


def seed_catalogue(*, scale: int = 1, stdout: TextIO | None = None, reset: bool = False) -> SeedReport:
    """Create the demo catalogue (see the module docstring). One transaction; returns what was written."""
    out = stdout or sys.stdout
    started = time.perf_counter()
    if scale < 1:
        raise ValueError("scale must be at least 1.")
    with transaction.atomic():
        if Partner.objects.exists():
            if not reset:
                return SeedReport(skipped=True)
            _reset()
        report = _Seeder(scale=scale, out=out).run()
    report.seconds = time.perf_counter() - started
    return report


def _reset() -> None:
    try:
        Dataset.objects.all().delete()
    except ProtectedError as exc:
        raise RuntimeError(
            "Other data (e.g. access requests) refers to the catalogue's datasets, so it cannot be reset here. "
            "Start from an empty database instead (e.g. delete var/harmony.sqlite3 and migrate)."
        ) from exc
    Membership.objects.all().delete()
    Partner.objects.all().delete()
    Concept.objects.filter(variables__isnull=True).delete()
    # The demo users stay (the seed updates them): the audit trail refers to them, and it is never deleted.


class _Seeder:
    def __init__(self, *, scale: int, out: TextIO) -> None:
        self.scale = scale
        self.out = out
        self.rng = random.Random(SEED)
        self.report = SeedReport()
        self.diseases = {area.code: area for area in DiseaseArea.objects.select_related("mondo", "parent__mondo")}
        self.data_types = {data_type.code: data_type for data_type in DataType.objects.all()}
        self.duo = {term.short_code: term for term in DuoTerm.objects.exclude(short_code="")}
        self.concept_ids = concept_ids_for(
            ConceptRef(*concept) for template in self._all_templates() for concept in template.concepts
        )

    @staticmethod
    def _all_templates() -> list[VariableTemplate]:
        return [*COMMON, *LAB_TESTS, *PRO_VARIABLES, *(t for group in BY_DISEASE.values() for t in group)]

    def run(self) -> SeedReport:
        partners = self._partners()
        self._users(partners)
        datasets = self._datasets(partners)
        self._consents(datasets)
        self._distributions(datasets)
        self._variables(datasets)
        record_dataset_changes(dataset.pk for dataset, _ in datasets)
        self._partner_dictionaries(partners)
        return self.report

    def _partner_dictionaries(self, partners: list[Partner]) -> None:
        """The partners' own multilingual dictionaries (``catalogue.demo.partner_dictionaries``), each a
        published dataset with one consent, its variables loaded from its CSV file by the real importer."""
        by_slug = {partner.slug: partner for partner in partners}
        admin = get_user_model().objects.get(username=next(user.username for user in DEMO_USERS if user.role == ADMIN))
        published_at = timezone.now() - datetime.timedelta(days=60)
        for entry in PARTNER_DICTIONARIES:
            dataset = self._partner_dataset(entry, by_slug[entry.partner], published_at)
            with entry.csv_path.open("rb") as handle:
                result = import_data_dictionary(actor=admin, dataset=dataset, file=handle, filename=entry.csv_path.name)
            if not result.ok:
                raise RuntimeError(f"Demo dictionary {entry.csv_path.name} does not import: {result.errors[:3]}")
            self.report.datasets += 1
            self.report.consents += 1
            self.report.variables += result.created

    def _partner_dataset(self, entry: PartnerDictionary, partner: Partner, published_at: datetime.datetime) -> Dataset:
        start, end = entry.collection
        dataset = Dataset.objects.create(
            partner=partner,
            title=entry.title,
            slug=entry.slug,
            title_translations=entry.title_translations,
            description=entry.description,
            description_translations=entry.description_translations,
            patient_count=entry.patients,
            collection_start=start,
            collection_end=end,
            patient_countries=[partner.country],
            data_model=DataModel.CUSTOM,
            keywords=list(entry.keywords),
            status=DatasetStatus.PUBLISHED,
            contact_email=partner.contact_email,
            persistent_identifier=f"https://w3id.org/harmony/dataset/{entry.slug}",
            published_at=published_at,
        )
        dataset.disease_areas.set([self.diseases[code] for code in entry.diseases])
        dataset.data_types.set([self.data_types[code] for code in entry.data_types])
        consent = Consent.objects.create(
            dataset=dataset,
            form_version="v1.0",
            participant_count=entry.patients,
            permission=self.duo[entry.permission],
        )
        if entry.permission == "DS":
            consent.diseases.set([self._mondo_of(entry.diseases[0])])
        DataUseModifier.objects.bulk_create(
            DataUseModifier(consent=consent, term=self.duo[code]) for code in entry.modifiers
        )
        return dataset

    def _partners(self) -> list[Partner]:
        partners = Partner.objects.bulk_create(
            Partner(
                name=p.name,
                short_name=p.short_name,
                slug=p.slug,
                country=p.country,
                kind=p.kind,
                website=f"https://{p.slug}.example.org",
                contact_email=f"data-office@{p.slug}.example.org",
                description=f"{p.name} is a member of the HARMONY alliance.",
            )
            for p in DEMO_PARTNERS
        )
        self.report.partners = len(partners)
        return partners

    def _users(self, partners: list[Partner]) -> None:
        by_slug = {partner.slug: partner for partner in partners}
        password = make_password(DEMO_PASSWORD)
        user_model = get_user_model()
        for demo in DEMO_USERS:
            user, _ = user_model.objects.update_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "email": f"{demo.username}@harmony-demo.example.org",
                    "password": password,
                    "is_staff": demo.role == ADMIN,
                    "is_superuser": demo.role == ADMIN,
                },
            )
            if demo.role != ADMIN:
                membership_grant(user=user, partner=by_slug[demo.partner_slug], role=demo.role)
        self.report.users = len(DEMO_USERS)

    # ---- datasets --------------------------------------------------------------------------------------------

    def _datasets(self, partners: list[Partner]) -> list[tuple[Dataset, str]]:
        rng = self.rng
        codes, weights = zip(*DISEASE_WEIGHTS, strict=True)
        now = timezone.now()
        rows: list[tuple[Dataset, str, list[str], list[str]]] = []
        slugs: set[str] = set()
        for copy in range(self.scale):
            for partner in partners:
                low, high = DATASETS_PER_KIND[partner.kind]
                demo_curators = partner.slug == "ukhd" and copy == 0
                count = max(rng.randint(low, high), len(_DEMO_CURATOR_STATUSES) if demo_curators else 0)
                for index in range(count):
                    disease = rng.choices(codes, weights)[0]
                    override = _DEMO_CURATOR_STATUSES.get(index) if demo_curators else None
                    dataset, types = self._dataset(partner, disease, copy, now, override)
                    base, n = dataset.slug, 1
                    while dataset.slug in slugs:
                        n += 1
                        dataset.slug = f"{base}-{n}"
                    slugs.add(dataset.slug)
                    extra = [rng.choice(["AML", "MDS"])] if disease in {"AML", "MDS"} and rng.random() < 0.2 else []
                    rows.append((dataset, disease, sorted({disease, *extra}), types))
        created = Dataset.objects.bulk_create([row[0] for row in rows], batch_size=1000)
        diseases_through = Dataset.disease_areas.through
        types_through = Dataset.data_types.through
        diseases_through.objects.bulk_create(
            [
                diseases_through(dataset_id=dataset.pk, diseasearea_id=self.diseases[code].pk)
                for dataset, (_, _, disease_codes, _) in zip(created, rows, strict=True)
                for code in disease_codes
            ],
            batch_size=5000,
        )
        types_through.objects.bulk_create(
            [
                types_through(dataset_id=dataset.pk, datatype_id=self.data_types[code].pk)
                for dataset, (_, _, _, type_codes) in zip(created, rows, strict=True)
                for code in type_codes
            ],
            batch_size=5000,
        )
        self.report.datasets = len(created)
        return [(dataset, disease) for dataset, (_, disease, _, _) in zip(created, rows, strict=True)]

    def _dataset(
        self, partner: Partner, disease: str, copy: int, now: datetime.datetime, status_override: str | None
    ) -> tuple[Dataset, list[str]]:
        rng = self.rng
        name = self.diseases[disease].name
        if partner.kind == PartnerKind.PATIENT_ORG:
            title, types = f"{partner.short_name} patient experience survey: {name}", ["pro", "clinical"]
        elif partner.kind in (PartnerKind.PHARMA, PartnerKind.OTHER):
            number = rng.randint(100, 999)
            phase = rng.choice(["II", "III", "III", "IIIb"])
            title, types = f"{partner.short_name} {number} phase {phase} trial in {name}", ["clinical"]
            if rng.random() < 0.5:
                types.append(rng.choice(GENOMIC_TYPES))
        else:
            kind = rng.choice(["registry", "biobank cohort", "genomic cohort", "real-world cohort", "registry"])
            title, types = f"{name} {kind} {partner.short_name}", ["clinical"]
            if kind in {"biobank cohort", "genomic cohort"}:
                types += rng.sample(GENOMIC_TYPES, rng.randint(1, 2))
        family = disease_family(disease)
        if family in {"AML", "MDS", "MM", "CLL", "ALL"} and rng.random() < 0.6:
            types.append("cytogenetics")
        if family in {"ALL", "CLL", "AML"} and rng.random() < 0.4:
            types.append("flow-cytometry")
        if family in {"NHL", "HL"} and rng.random() < 0.5:
            types.append("imaging")
        if copy:
            title = f"{title} (cohort {copy + 1})"
        start = rng.randint(2000, 2019)
        end = min(start + rng.randint(2, 8), 2025)
        patients = rng.randint(60, 4000)
        roll = rng.random()
        status = (
            DatasetStatus.PUBLISHED if roll < 0.86 else DatasetStatus.DRAFT if roll < 0.95 else DatasetStatus.RETIRED
        )
        status = status_override or status
        published_at = now - datetime.timedelta(days=rng.randint(30, 900)) if status != DatasetStatus.DRAFT else None
        countries = sorted(
            {partner.country, *rng.sample(["DE", "FR", "ES", "IT", "NL", "BE", "SE"], rng.randint(0, 3))}
        )
        dataset = Dataset(
            partner=partner,
            title=title,
            slug=slugify(title)[:110],
            description=(
                f"{title}: {patients} patients with {name.lower()} diagnosed between {start} and {end}, "
                f"with {', '.join(self.data_types[code].name.lower() for code in sorted(set(types)))} data."
            ),
            patient_count=patients,
            sample_count=patients * rng.randint(1, 3) if len(types) > 1 else None,
            collection_start=datetime.date(start, 1, 1),
            collection_end=datetime.date(end, 12, 31),
            patient_countries=countries if partner.kind != PartnerKind.ACADEMIC else [partner.country],
            data_model=rng.choice([DataModel.OMOP_54, DataModel.OMOP_54, DataModel.CUSTOM, DataModel.CDISC_SDTM]),
            keywords=sorted({disease, family, *(k for k in ("registry", "trial", "biobank") if k in title.lower())}),
            version=f"{rng.randint(1, 3)}.{rng.randint(0, 4)}",
            status=status,
            contact_email=partner.contact_email,
            persistent_identifier=f"https://w3id.org/harmony/dataset/{slugify(title)[:80]}" if published_at else "",
            published_at=published_at,
            retired_at=now - datetime.timedelta(days=rng.randint(1, 20)) if status == DatasetStatus.RETIRED else None,
        )
        return dataset, sorted(set(types))

    # ---- consents and distributions --------------------------------------------------------------------------

    def _mondo_of(self, code: str) -> MondoTerm:
        """The MONDO term a DS consent on disease area ``code`` names: the area's, or its nearest ancestor's when
        the area has none (a consent on it then admits the wider disease, as the curator would have to say)."""
        area: DiseaseArea | None = self.diseases[code]
        while area is not None and area.mondo is None:
            area = area.parent
        if area is None or area.mondo is None:
            raise ValueError(f"Disease area {code} and its ancestors have no MONDO term.")
        return area.mondo

    def _consents(self, datasets: list[tuple[Dataset, str]]) -> None:
        rng = self.rng
        consents: list[Consent] = []
        modifiers: list[list[tuple[str, datetime.date | None]]] = []
        ds_diseases: list[str] = []
        for dataset, disease in datasets:
            versions = 1 if rng.random() < 0.7 else 2
            remaining = dataset.patient_count or 0
            for index in range(versions):
                permission, mods = rng.choice(CONSENT_PROFILES)
                covered = remaining if index == versions - 1 else rng.randint(remaining // 4, remaining // 2)
                remaining -= covered
                consents.append(
                    Consent(
                        dataset=dataset,
                        form_version=f"v{index + 1}.{rng.randint(0, 3)} ({2005 + index * 6 + rng.randint(0, 5)})",
                        participant_count=covered,
                        permission=self.duo[permission],
                    )
                )
                modifiers.append(list(mods))
                ds_diseases.append(disease if permission == "DS" else "")
        created = Consent.objects.bulk_create(consents, batch_size=2000)
        Consent.diseases.through.objects.bulk_create(
            [
                Consent.diseases.through(consent_id=consent.pk, mondoterm_id=self._mondo_of(disease).pk)
                for consent, disease in zip(created, ds_diseases, strict=True)
                if disease
            ],
            batch_size=5000,
        )
        DataUseModifier.objects.bulk_create(
            [
                DataUseModifier(consent=consent, term=self.duo[code], until=until, value=EU_EEA if code == "GS" else "")
                for consent, mods in zip(created, modifiers, strict=True)
                for code, until in mods
            ],
            batch_size=5000,
        )
        self.report.consents = len(created)

    def _distributions(self, datasets: list[tuple[Dataset, str]]) -> None:
        rng = self.rng
        distributions: list[Distribution] = []
        files_left = 3  # a few small synthetic files (aggregates, no patient-level data) for download demos
        for dataset, disease in datasets:
            if files_left and dataset.partner.slug == "ukhd" and dataset.status == DatasetStatus.PUBLISHED:
                files_left -= 1
                content = _synthetic_summary(dataset, disease, rng)
                distribution = Distribution(
                    dataset=dataset,
                    title="Synthetic summary extract (CSV)",
                    kind=DistributionKind.FILE,
                    media_type="text/csv",
                    byte_size=len(content),
                    checksum_sha256=hashlib.sha256(content).hexdigest(),
                )
                distribution.file.save(f"{dataset.slug}-summary.csv", ContentFile(content), save=False)
                distributions.append(distribution)
            if rng.random() < 0.7:
                genomic = any(code in dataset.description.lower() for code in ("sequencing", "panel"))
                url = (
                    f"https://ega-archive.org/datasets/EGAD5{rng.randint(10**9, 10**10 - 1)}"
                    if genomic
                    else f"https://{dataset.partner.slug}.example.org/data-access/{dataset.slug}"
                )
                distributions.append(
                    Distribution(
                        dataset=dataset,
                        title="European Genome-phenome Archive" if genomic else "Data access portal",
                        kind=DistributionKind.URL,
                        access_url=url,
                        media_type="application/vnd.ga4gh.htsget" if genomic else "text/html",
                        byte_size=rng.randint(10**9, 10**12) if genomic else None,
                    )
                )
        Distribution.objects.bulk_create(distributions, batch_size=2000)
        self.report.distributions = len(distributions)

    # ---- variables --------------------------------------------------------------------------------------------

    def _variables(self, datasets: list[tuple[Dataset, str]]) -> None:
        buffer: list[tuple[Variable, tuple[tuple[str, str, str], ...]]] = []
        total = len(datasets)
        for done, (dataset, disease) in enumerate(datasets, start=1):
            buffer.extend(self._dataset_variables(dataset, disease))
            if len(buffer) >= VARIABLE_BATCH:
                self._flush(buffer)
                buffer = []
                self.out.write(f"  {done}/{total} datasets, {self.report.variables} variables\n")
        if buffer:
            self._flush(buffer)

    def _dataset_variables(
        self, dataset: Dataset, disease: str
    ) -> list[tuple[Variable, tuple[tuple[str, str, str], ...]]]:
        rng = self.rng
        templates: list[tuple[VariableTemplate, str, str]] = [(t, t.name, t.label) for t in COMMON]
        templates += [(t, t.name, t.label) for t in BY_DISEASE[disease_family(disease)]]
        if dataset.partner.kind == PartnerKind.PATIENT_ORG:
            templates += [(t, t.name, t.label) for t in PRO_VARIABLES]
        for suffix, when in TIME_POINTS[: rng.randint(3, len(TIME_POINTS))]:
            templates += [(t, f"{t.name}_{suffix}", f"{t.label} {when}") for t in LAB_TESTS]
        rows = []
        for position, (template, name, label) in enumerate(templates):
            completeness = Decimal(rng.randint(3500, 10000)) / 100
            rows.append(
                (
                    Variable(
                        dataset=dataset,
                        name=name,
                        label=label,
                        description="",
                        value_type=template.value_type,
                        unit=template.unit,
                        categories=template.categories,
                        completeness=completeness,
                        position=position,
                    ),
                    template.concepts,
                )
            )
        return rows

    def _flush(self, buffer: list[tuple[Variable, tuple[tuple[str, str, str], ...]]]) -> None:
        created = Variable.objects.bulk_create([variable for variable, _ in buffer], batch_size=5000)
        through = Variable.concepts.through
        through.objects.bulk_create(
            [
                through(variable_id=variable.pk, concept_id=self.concept_ids[(vocabulary, code)])
                for variable, (_, concepts) in zip(created, buffer, strict=True)
                for vocabulary, code, _ in concepts
            ],
            batch_size=10000,
        )
        self.report.variables += len(created)


def _synthetic_summary(dataset: Dataset, disease: str, rng: random.Random) -> bytes:
    lines = ["sex,age_band,patients"]
    for sex in ("female", "male"):
        for band in ("18-39", "40-59", "60-79", "80+"):
            lines.append(f"{sex},{band},{rng.randint(5, 200)}")
    return ("\n".join(lines) + "\n").encode()
