"""Realistic variable templates for the demo data dictionaries, with their standard-concept mappings.

A template is (name, label, value_type, unit, categories, concepts); concepts are (vocabulary, code, name).
Laboratory values are repeated at several time points to give dictionaries their real-world size.
"""

from __future__ import annotations

from typing import NamedTuple


class VariableTemplate(NamedTuple):
    name: str
    label: str
    value_type: str
    unit: str = ""
    categories: dict[str, str] = {}
    concepts: tuple[tuple[str, str, str], ...] = ()


T = VariableTemplate
YES_NO = {"0": "no", "1": "yes", "9": "unknown"}
MUTATED = {"0": "not mutated", "1": "mutated", "9": "not tested"}
PRESENT = {"0": "absent", "1": "present", "9": "not tested"}


def hgnc(symbol: str) -> tuple[str, str, str]:
    return ("HGNC", symbol, symbol)


def loinc(code: str, name: str) -> tuple[str, str, str]:
    return ("LOINC", code, name)


def diagnosis_icd10(code: str, name: str) -> VariableTemplate:
    return VariableTemplate("diagnosis_icd10", "Diagnosis (ICD-10)", "text", "", {}, (("ICD10", code, name),))


COMMON: tuple[VariableTemplate, ...] = (
    T("subject_id", "Pseudonymised subject identifier", "text"),
    T("sex", "Sex", "categorical", "", {"M": "male", "F": "female"}, (("SNOMED", "263495000", "Gender"),)),
    T("age_at_diagnosis", "Age at diagnosis", "integer", "a", {}, (("LOINC", "21612-7", "Age - Reported"),)),
    T("year_of_birth", "Year of birth", "integer"),
    T("date_of_diagnosis", "Date of diagnosis", "date", "", {}, (("SNOMED", "432213005", "Date of diagnosis"),)),
    T(
        "ecog_ps",
        "ECOG performance status at diagnosis",
        "categorical",
        "",
        {"0": "fully active", "1": "restricted", "2": "ambulatory", "3": "limited self-care", "4": "disabled"},
        (("LOINC", "89247-1", "ECOG Performance Status score"),),
    ),
    T("bmi", "Body-mass index at diagnosis", "decimal", "kg/m2", {}, (("LOINC", "39156-5", "Body mass index"),)),
    T("comorbidity_hct_ci", "HCT-CI comorbidity score", "integer"),
    T("first_line_regimen", "First-line treatment regimen", "text"),
    T("first_line_start", "Start date of first-line treatment", "date"),
    T(
        "best_response",
        "Best response to first-line treatment",
        "categorical",
        "",
        {"CR": "complete remission", "PR": "partial remission", "SD": "stable disease", "PD": "progressive disease"},
    ),
    T("date_of_response", "Date of best response", "date"),
    T("relapse", "Relapse or progression", "boolean", "", {}, (("SNOMED", "263855007", "Relapse phase"),)),
    T("date_of_relapse", "Date of relapse or progression", "date"),
    T("allo_hct", "Allogeneic stem cell transplantation", "boolean"),
    T("date_of_allo_hct", "Date of allogeneic transplantation", "date"),
    T("vital_status", "Vital status at last follow-up", "categorical", "", {"0": "alive", "1": "dead"}),
    T("date_of_last_follow_up", "Date of last follow-up", "date"),
    T("date_of_death", "Date of death", "date", "", {}, (("SNOMED", "419620001", "Death"),)),
    T(
        "cause_of_death",
        "Cause of death",
        "categorical",
        "",
        {"1": "disease", "2": "treatment-related", "3": "infection", "4": "other", "9": "unknown"},
    ),
)

LAB_TESTS: tuple[VariableTemplate, ...] = (
    T(
        "haemoglobin",
        "Haemoglobin",
        "decimal",
        "g/dL",
        {},
        (
            ("LOINC", "718-7", "Hemoglobin [Mass/volume] in Blood"),
            ("OMOP", "3000963", "Hemoglobin [Mass/volume] in Blood"),
        ),
    ),
    T(
        "wbc",
        "White blood cell count",
        "decimal",
        "10*9/L",
        {},
        (("LOINC", "6690-2", "Leukocytes [#/volume] in Blood by Automated count"),),
    ),
    T(
        "platelets",
        "Platelet count",
        "decimal",
        "10*9/L",
        {},
        (("LOINC", "777-3", "Platelets [#/volume] in Blood by Automated count"),),
    ),
    T(
        "anc",
        "Absolute neutrophil count",
        "decimal",
        "10*9/L",
        {},
        (("LOINC", "751-8", "Neutrophils [#/volume] in Blood by Automated count"),),
    ),
    T(
        "ldh",
        "Lactate dehydrogenase",
        "decimal",
        "U/L",
        {},
        (("LOINC", "2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma"),),
    ),
    T(
        "creatinine",
        "Creatinine",
        "decimal",
        "umol/L",
        {},
        (("LOINC", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma"),),
    ),
    T(
        "bilirubin",
        "Total bilirubin",
        "decimal",
        "umol/L",
        {},
        (("LOINC", "1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma"),),
    ),
    T(
        "alt",
        "Alanine aminotransferase",
        "decimal",
        "U/L",
        {},
        (("LOINC", "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),),
    ),
    T(
        "crp",
        "C-reactive protein",
        "decimal",
        "mg/L",
        {},
        (("LOINC", "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"),),
    ),
)
TIME_POINTS: tuple[tuple[str, str], ...] = (
    ("dx", "at diagnosis"),
    ("d14", "on day 14"),
    ("d28", "on day 28"),
    ("c2", "at cycle 2"),
    ("c3", "at cycle 3"),
    ("c4", "at cycle 4"),
    ("eot", "at end of treatment"),
    ("m6", "at 6 months"),
    ("m12", "at 12 months"),
    ("rel", "at relapse"),
)

MYELOID_GENES = ("ASXL1", "RUNX1", "TET2", "DNMT3A", "IDH1", "IDH2", "SRSF2", "U2AF1", "EZH2", "BCOR", "STAG2")

BY_DISEASE: dict[str, tuple[VariableTemplate, ...]] = {
    "AML": (
        T("npm1_mutation", "NPM1 mutation status", "categorical", "", MUTATED, (hgnc("NPM1"),)),
        T("flt3_itd", "FLT3-ITD status", "categorical", "", PRESENT, (hgnc("FLT3"),)),
        T("flt3_itd_ratio", "FLT3-ITD allelic ratio", "decimal", "{ratio}", {}, (hgnc("FLT3"),)),
        T("flt3_tkd", "FLT3-TKD mutation", "categorical", "", MUTATED, (hgnc("FLT3"),)),
        T("cebpa_bzip", "CEBPA bZIP in-frame mutation", "categorical", "", MUTATED, (hgnc("CEBPA"),)),
        T("tp53_mutation", "TP53 mutation status", "categorical", "", MUTATED, (hgnc("TP53"),)),
        T("karyotype", "Karyotype (ISCN)", "text", "", {}, (("SNOMED", "397644009", "Karyotype determination"),)),
        T("complex_karyotype", "Complex karyotype (≥3 abnormalities)", "boolean"),
        T(
            "eln2022_risk",
            "ELN 2022 genetic risk",
            "categorical",
            "",
            {"fav": "favourable", "int": "intermediate", "adv": "adverse"},
        ),
        T("bm_blasts_pct", "Bone marrow blasts", "decimal", "%"),
        T("pb_blasts_pct", "Peripheral blood blasts", "decimal", "%"),
        T("aml_type", "AML type", "categorical", "", {"dn": "de novo", "s": "secondary", "t": "therapy-related"}),
        T(
            "mrd_flow",
            "Measurable residual disease by flow cytometry",
            "categorical",
            "",
            {"neg": "negative", "pos": "positive", "nd": "not done"},
        ),
        T("npm1_mrd_log_reduction", "NPM1 MRD log reduction after cycle 2", "decimal", "{log}", {}, (hgnc("NPM1"),)),
        T(
            "diagnosis_icd10",
            "Diagnosis (ICD-10)",
            "text",
            "",
            {},
            (("ICD10", "C92.0", "Acute myeloblastic leukaemia"),),
        ),
        *(
            T(f"{g.lower()}_mutation", f"{g} mutation status", "categorical", "", MUTATED, (hgnc(g),))
            for g in MYELOID_GENES
        ),
    ),
    "MDS": (
        T(
            "ipss_r",
            "IPSS-R risk group",
            "categorical",
            "",
            {"vl": "very low", "l": "low", "i": "intermediate", "h": "high", "vh": "very high"},
        ),
        T(
            "ipss_m",
            "IPSS-M risk group",
            "categorical",
            "",
            {"vl": "very low", "l": "low", "ml": "moderate low", "mh": "moderate high", "h": "high", "vh": "very high"},
        ),
        T("sf3b1_mutation", "SF3B1 mutation status", "categorical", "", MUTATED, (hgnc("SF3B1"),)),
        T("del5q", "del(5q)", "categorical", "", PRESENT),
        T("ring_sideroblasts_pct", "Ring sideroblasts", "decimal", "%"),
        T("bm_blasts_pct", "Bone marrow blasts", "decimal", "%"),
        T("transfusion_dependent", "Red-cell transfusion dependence", "boolean"),
        T("tp53_mutation", "TP53 mutation status", "categorical", "", MUTATED, (hgnc("TP53"),)),
        diagnosis_icd10("D46", "Myelodysplastic syndromes"),
        *(
            T(f"{g.lower()}_mutation", f"{g} mutation status", "categorical", "", MUTATED, (hgnc(g),))
            for g in MYELOID_GENES[:6]
        ),
    ),
    "MM": (
        T("iss_stage", "ISS stage", "categorical", "", {"1": "I", "2": "II", "3": "III"}),
        T("r_iss_stage", "R-ISS stage", "categorical", "", {"1": "I", "2": "II", "3": "III"}),
        T("r2_iss_stage", "R2-ISS stage", "categorical", "", {"1": "I", "2": "II", "3": "III", "4": "IV"}),
        T("del17p", "del(17p) by FISH", "categorical", "", PRESENT, (hgnc("TP53"),)),
        T("t_4_14", "t(4;14) by FISH", "categorical", "", PRESENT, (hgnc("FGFR3"),)),
        T("t_14_16", "t(14;16) by FISH", "categorical", "", PRESENT, (hgnc("MAF"),)),
        T("gain_1q", "gain/amp(1q21)", "categorical", "", PRESENT),
        T("m_protein", "Serum M-protein", "decimal", "g/dL"),
        T("flc_ratio", "Serum free light-chain ratio", "decimal", "{ratio}"),
        T(
            "beta2_microglobulin",
            "Beta-2 microglobulin",
            "decimal",
            "mg/L",
            {},
            (("LOINC", "1952-1", "Beta-2-Microglobulin [Mass/volume] in Serum or Plasma"),),
        ),
        T(
            "albumin",
            "Serum albumin",
            "decimal",
            "g/dL",
            {},
            (("LOINC", "1751-7", "Albumin [Mass/volume] in Serum or Plasma"),),
        ),
        T("bm_plasma_cells_pct", "Bone marrow plasma cells", "decimal", "%"),
        diagnosis_icd10("C90.0", "Multiple myeloma"),
    ),
    "CLL": (
        T("ighv_status", "IGHV mutation status", "categorical", "", {"M": "mutated", "U": "unmutated"}),
        T("tp53_mutation", "TP53 mutation status", "categorical", "", MUTATED, (hgnc("TP53"),)),
        T("del17p", "del(17p) by FISH", "categorical", "", PRESENT, (hgnc("TP53"),)),
        T("del11q", "del(11q) by FISH", "categorical", "", PRESENT, (hgnc("ATM"),)),
        T("del13q", "del(13q) by FISH", "categorical", "", PRESENT),
        T("trisomy12", "Trisomy 12", "categorical", "", PRESENT),
        T("binet_stage", "Binet stage", "categorical", "", {"A": "A", "B": "B", "C": "C"}),
        T("rai_stage", "Rai stage", "categorical", "", {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}),
        T(
            "cll_ipi",
            "CLL-IPI risk group",
            "categorical",
            "",
            {"l": "low", "i": "intermediate", "h": "high", "vh": "very high"},
        ),
        T(
            "beta2_microglobulin",
            "Beta-2 microglobulin",
            "decimal",
            "mg/L",
            {},
            (("LOINC", "1952-1", "Beta-2-Microglobulin [Mass/volume] in Serum or Plasma"),),
        ),
        T(
            "diagnosis_icd10",
            "Diagnosis (ICD-10)",
            "text",
            "",
            {},
            (("ICD10", "C91.1", "Chronic lymphocytic leukaemia"),),
        ),
    ),
    "CML": (
        T("bcr_abl1_is", "BCR::ABL1 transcript level (IS)", "decimal", "%", {}, (hgnc("BCR"), hgnc("ABL1"))),
        T(
            "bcr_abl1_transcript",
            "BCR::ABL1 transcript type",
            "categorical",
            "",
            {"e13a2": "e13a2 (b2a2)", "e14a2": "e14a2 (b3a2)", "other": "other"},
            (hgnc("ABL1"),),
        ),
        T("sokal_score", "Sokal score", "decimal"),
        T("elts_score", "ELTS score", "decimal"),
        T("phase", "Phase at diagnosis", "categorical", "", {"cp": "chronic", "ap": "accelerated", "bp": "blast"}),
        T(
            "first_tki",
            "First-line TKI",
            "categorical",
            "",
            {"ima": "imatinib", "das": "dasatinib", "nil": "nilotinib", "bos": "bosutinib"},
        ),
        T("mmr_date", "Date of major molecular response", "date"),
        T("abl1_kd_mutation", "ABL1 kinase-domain mutation", "text", "", {}, (hgnc("ABL1"),)),
        diagnosis_icd10("C92.1", "Chronic myeloid leukaemia"),
    ),
    "MPN": (
        T("jak2_v617f", "JAK2 V617F mutation", "categorical", "", MUTATED, (hgnc("JAK2"),)),
        T("jak2_vaf", "JAK2 V617F variant allele frequency", "decimal", "%", {}, (hgnc("JAK2"),)),
        T(
            "calr_mutation",
            "CALR mutation",
            "categorical",
            "",
            {"0": "not mutated", "1": "type 1", "2": "type 2", "3": "other"},
            (hgnc("CALR"),),
        ),
        T("mpl_mutation", "MPL mutation", "categorical", "", MUTATED, (hgnc("MPL"),)),
        T("dipss", "DIPSS risk group", "categorical", "", {"l": "low", "i1": "int-1", "i2": "int-2", "h": "high"}),
        T("mipss70", "MIPSS70 risk group", "categorical", "", {"l": "low", "i": "intermediate", "h": "high"}),
        T("spleen_length_cm", "Spleen length below costal margin", "decimal", "cm"),
        T(
            "haematocrit",
            "Haematocrit",
            "decimal",
            "%",
            {},
            (("LOINC", "4544-3", "Hematocrit [Volume Fraction] of Blood"),),
        ),
        T("thrombosis_history", "History of thrombosis", "boolean"),
        diagnosis_icd10("D45", "Polycythaemia vera"),
    ),
    "ALL": (
        T("immunophenotype", "Immunophenotype", "categorical", "", {"B": "B-lineage", "T": "T-lineage"}),
        T("bcr_abl1", "BCR::ABL1 (Philadelphia chromosome)", "categorical", "", PRESENT, (hgnc("BCR"),)),
        T("kmt2a_rearranged", "KMT2A rearrangement", "categorical", "", PRESENT, (hgnc("KMT2A"),)),
        T("ikzf1_deletion", "IKZF1 deletion", "categorical", "", PRESENT, (hgnc("IKZF1"),)),
        T("cns_status", "CNS status", "categorical", "", {"1": "CNS1", "2": "CNS2", "3": "CNS3"}),
        T("mrd_d33", "MRD at day 33", "decimal", "%"),
        T("mrd_w12", "MRD at week 12", "decimal", "%"),
        T(
            "diagnosis_icd10",
            "Diagnosis (ICD-10)",
            "text",
            "",
            {},
            (("ICD10", "C91.0", "Acute lymphoblastic leukaemia"),),
        ),
    ),
    "NHL": (
        T("ann_arbor_stage", "Ann Arbor stage", "categorical", "", {"1": "I", "2": "II", "3": "III", "4": "IV"}),
        T("b_symptoms", "B symptoms", "boolean"),
        T("bulky_disease", "Bulky disease (≥7.5 cm)", "boolean"),
        T("ipi", "International Prognostic Index", "integer"),
        T("cell_of_origin", "Cell of origin (Hans)", "categorical", "", {"GCB": "germinal centre", "ABC": "non-GCB"}),
        T("myc_rearrangement", "MYC rearrangement", "categorical", "", PRESENT, (hgnc("MYC"),)),
        T("bcl2_rearrangement", "BCL2 rearrangement", "categorical", "", PRESENT, (hgnc("BCL2"),)),
        T("bcl6_rearrangement", "BCL6 rearrangement", "categorical", "", PRESENT, (hgnc("BCL6"),)),
        T("flipi", "FLIPI score", "integer"),
        T("myd88_l265p", "MYD88 L265P", "categorical", "", MUTATED, (hgnc("MYD88"),)),
        T("pet_deauville_eot", "End-of-treatment PET Deauville score", "integer"),
        T(
            "diagnosis_icd10",
            "Diagnosis (ICD-10)",
            "text",
            "",
            {},
            (("ICD10", "C83.3", "Diffuse large B-cell lymphoma"),),
        ),
    ),
    "HL": (
        T("ann_arbor_stage", "Ann Arbor stage", "categorical", "", {"1": "I", "2": "II", "3": "III", "4": "IV"}),
        T("b_symptoms", "B symptoms", "boolean"),
        T("ghsg_risk", "GHSG risk group", "categorical", "", {"e": "early", "i": "intermediate", "a": "advanced"}),
        T("ips", "International Prognostic Score (IPS-7)", "integer"),
        T("pet2_deauville", "Interim PET-2 Deauville score", "integer"),
        T("ebv_status", "EBV in tumour cells (EBER)", "categorical", "", PRESENT),
        T(
            "diagnosis_icd10",
            "Diagnosis (ICD-10)",
            "text",
            "",
            {},
            (("ICD10", "C81.1", "Nodular sclerosis classical HL"),),
        ),
    ),
}

PRO_VARIABLES: tuple[VariableTemplate, ...] = (
    T("eortc_qlq_c30_global", "EORTC QLQ-C30 global health status", "decimal", "{score}"),
    T("eortc_qlq_c30_fatigue", "EORTC QLQ-C30 fatigue", "decimal", "{score}"),
    T("eq5d_index", "EQ-5D-5L index", "decimal", "{score}"),
    T("eq5d_vas", "EQ-5D visual analogue scale", "integer", "{score}"),
    T("hads_anxiety", "HADS anxiety subscale", "integer", "{score}"),
    T("work_status", "Employment status", "categorical", "", {"1": "working", "2": "sick leave", "3": "retired"}),
)


def disease_family(code: str) -> str:
    """The template family of a disease code: subtypes use their parent's (APL → AML, DLBCL → NHL)."""
    parents = {"APL": "AML", "PV": "MPN", "ET": "MPN", "PMF": "MPN", "CHL": "HL", "NLPHL": "HL"}
    if code in parents:
        return parents[code]
    if code in {"DLBCL", "FL", "MCL", "MZL", "BL", "PTCL", "WM"}:
        return "NHL"
    return code
