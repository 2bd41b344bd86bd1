"""Seven partners' own data dictionaries, as partners really write them: in their language, with local
abbreviations (Hb, WBC, ANC, LDH, PNN, GB), British spellings, cytogenetics written several ways
(``t(8;21)``, ``t8;21``, ``inv16``), coded categories (``1=CR; 2=CRi``), UCUM units, and standard concepts
mapped where such a dictionary would map them (mostly laboratory values and genes) and missing elsewhere.

The dictionaries are CSV files in ``dictionaries/`` loaded through the real importer, so they obey the
template's rules; the datasets have fixed slugs, which the relevance benchmark (``scripts/bench/relevance``)
uses as stable keys. They are written once whatever the scale, after the generated datasets and without the random
generator, so the generated part of the catalogue stays as it was.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import NamedTuple

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionaries"


class PartnerDictionary(NamedTuple):
    slug: str  # also the CSV file's name
    partner: str  # partner slug
    title: str
    title_translations: dict[str, str]
    description: str
    description_translations: dict[str, str]
    diseases: tuple[str, ...]
    data_types: tuple[str, ...]
    patients: int
    period: tuple[int, int]
    keywords: tuple[str, ...]
    permission: str  # DUO short code; DS takes the first disease
    modifiers: tuple[str, ...]

    @property
    def csv_path(self) -> Path:
        return DICTIONARY_DIR / f"{self.slug}.csv"

    @property
    def collection(self) -> tuple[datetime.date, datetime.date]:
        return datetime.date(self.period[0], 1, 1), datetime.date(self.period[1], 12, 31)


PARTNER_DICTIONARIES: tuple[PartnerDictionary, ...] = (
    PartnerDictionary(
        slug="amlsg-register-ulm",
        partner="uku",
        title="AMLSG AML registry Ulm",
        title_translations={"de": "AMLSG-Register akute myeloische Leukämie, Ulm"},
        description=(
            "Adults with newly diagnosed acute myeloid leukaemia treated in the German-Austrian AML Study Group "
            "(AMLSG): blood counts at diagnosis, karyotype and recurrent translocations, FLT3, NPM1 and myeloid "
            "gene mutations, ELN 2022 risk, induction response, NPM1 MRD, transplantation and survival."
        ),
        description_translations={
            "de": (
                "Erwachsene mit neu diagnostizierter akuter myeloischer Leukämie (AML) in Studien der AMLSG: "
                "Blutbild bei Erstdiagnose, Karyotyp, FLT3-ITD, NPM1, ELN-2022-Risiko, Ansprechen, MRD, "
                "allogene Stammzelltransplantation und Überleben."
            )
        },
        diseases=("AML",),
        data_types=("clinical", "cytogenetics", "targeted-panel"),
        patients=2140,
        period=(2004, 2021),
        keywords=("AML", "registry", "AMLSG", "ELN 2022"),
        permission="DS",
        modifiers=("IRB", "PUB"),
    ),
    PartnerDictionary(
        slug="lam-lal-cohorte-lyon",
        partner="hcl",
        title="Lyon acute leukaemia cohort (AML and ALL)",
        title_translations={"fr": "Cohorte lyonnaise des leucémies aiguës (LAM et LAL)"},
        description=(
            "Adults with acute myeloid or lymphoblastic leukaemia at the Hospices Civils de Lyon: blood counts, "
            "karyotype, core-binding-factor and Philadelphia translocations, FLT3-ITD, NPM1, response after "
            "induction, MRD, allogeneic transplantation, relapse and survival."
        ),
        description_translations={
            "fr": (
                "Adultes atteints de leucémie aiguë myéloïde (LAM) ou lymphoblastique (LAL) aux Hospices Civils "
                "de Lyon : hémogramme, caryotype, FLT3-DIT, NPM1, réponse, maladie résiduelle, allogreffe, "
                "rechute et survie."
            )
        },
        diseases=("AML", "ALL"),
        data_types=("clinical", "cytogenetics", "flow-cytometry"),
        patients=1320,
        period=(2008, 2022),
        keywords=("LAM", "LAL", "leucémie aiguë", "cohort"),
        permission="HMB",
        modifiers=("NPU",),
    ),
    PartnerDictionary(
        slug="registro-mieloma-bologna",
        partner="aou-bologna",
        title="Bologna multiple myeloma registry",
        title_translations={"it": "Registro del mieloma multiplo di Bologna"},
        description=(
            "Newly diagnosed multiple myeloma at the Seràgnoli Institute: CRAB laboratory values, M-protein and "
            "free light chains, ISS, R-ISS and R2-ISS staging, FISH for high-risk abnormalities, first-line "
            "therapy, autologous transplantation, IMWG response, MRD, progression-free and overall survival."
        ),
        description_translations={
            "it": (
                "Pazienti con mieloma multiplo di nuova diagnosi: emoglobina, calcemia, creatinina, componente "
                "monoclonale, stadiazione ISS/R-ISS/R2-ISS, FISH, trapianto autologo, risposta IMWG e "
                "sopravvivenza."
            )
        },
        diseases=("MM",),
        data_types=("clinical", "cytogenetics"),
        patients=1875,
        period=(2006, 2023),
        keywords=("MM", "registry", "mieloma multiplo"),
        permission="DS",
        modifiers=("PUB",),
    ),
    PartnerDictionary(
        slug="registro-llc-salamanca",
        partner="husal",
        title="Salamanca chronic lymphocytic leukaemia registry",
        title_translations={"es": "Registro de leucemia linfocítica crónica (LLC) de Salamanca"},
        description=(
            "Chronic lymphocytic leukaemia from diagnosis: blood counts, IGHV mutational status, FISH "
            "(del(17p), del(11q), trisomy 12, del(13q)) and TP53, Binet and Rai stages, CLL-IPI, time to first "
            "treatment, iwCLL response, Richter transformation and survival."
        ),
        description_translations={
            "es": (
                "Leucemia linfocítica crónica desde el diagnóstico: hemograma, estado mutacional IGHV, FISH, "
                "TP53, estadios de Binet y Rai, CLL-IPI, tiempo hasta el primer tratamiento y supervivencia."
            )
        },
        diseases=("CLL",),
        data_types=("clinical", "cytogenetics", "flow-cytometry"),
        patients=960,
        period=(2010, 2023),
        keywords=("CLL", "LLC", "registry"),
        permission="HMB",
        modifiers=("IRB",),
    ),
    PartnerDictionary(
        slug="hovon-lymfoomregister",
        partner="hovon",
        title="HOVON aggressive B-cell lymphoma registry",
        title_translations={"nl": "HOVON-register agressieve B-cellymfomen"},
        description=(
            "Diffuse large B-cell and high-grade B-cell lymphoma in Dutch HOVON centres: Ann Arbor stage, "
            "IPI factors, cell of origin, MYC and BCL2 rearrangements, first-line treatment, interim and "
            "end-of-treatment PET Deauville scores, Lugano response, CAR-T, progression-free and overall survival."
        ),
        description_translations={
            "nl": (
                "Diffuus grootcellig B-cellymfoom en hooggradig B-cellymfoom in HOVON-centra: stadium, IPI, "
                "MYC/BCL2, behandeling, PET-CT Deauville-score, respons, CAR-T en overleving."
            )
        },
        diseases=("DLBCL",),
        data_types=("clinical", "imaging"),
        patients=3410,
        period=(2012, 2024),
        keywords=("DLBCL", "lymfoom", "registry"),
        permission="GRU",
        modifiers=(),
    ),
    PartnerDictionary(
        slug="mds-register-wien",
        partner="meduni-wien",
        title="Vienna MDS registry",
        title_translations={"de": "Wiener MDS-Register"},
        description=(
            "Myelodysplastic syndromes/neoplasms at the Medical University of Vienna: blood counts, marrow "
            "blasts and ring sideroblasts, karyotype, SF3B1 and TP53, IPSS-R and IPSS-M, transfusion "
            "dependence, hypomethylating agents, progression to AML and survival."
        ),
        description_translations={
            "de": (
                "Myelodysplastische Syndrome/Neoplasien: Blutbild, Knochenmarkblasten, Ringsideroblasten, "
                "Karyotyp, IPSS-R und IPSS-M, Transfusionsabhängigkeit, Progression in AML und Überleben."
            )
        },
        diseases=("MDS",),
        data_types=("clinical", "cytogenetics", "targeted-panel"),
        patients=1240,
        period=(2009, 2023),
        keywords=("MDS", "registry", "IPSS-M"),
        permission="DS",
        modifiers=("IRB",),
    ),
    PartnerDictionary(
        slug="birmingham-cml-cohort",
        partner="uob",
        title="Birmingham CML cohort",
        title_translations={},
        description=(
            "Chronic myeloid leukaemia in chronic, accelerated or blast phase: counts at diagnosis, Sokal, "
            "ELTS and EUTOS scores, BCR-ABL1 transcript type and IS levels, molecular response, first-line "
            "TKI and switches, ABL1 kinase-domain mutations, treatment-free remission and survival."
        ),
        description_translations={},
        diseases=("CML",),
        data_types=("clinical",),
        patients=610,
        period=(2002, 2022),
        keywords=("CML", "TKI", "cohort"),
        permission="HMB",
        modifiers=("NPU", "PUB"),
    ),
)
