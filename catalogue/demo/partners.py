"""The 53 demo partners across 11 European countries: hospitals and universities, cooperative study groups,
pharmaceutical companies, patient organisations, regulators and SMEs. Websites are placeholders."""

from __future__ import annotations

from typing import NamedTuple

from catalogue.models import PartnerKind


class DemoPartner(NamedTuple):
    name: str
    short_name: str
    slug: str
    country: str
    kind: str


A, PH, PO, RG, SME, OT = (
    PartnerKind.ACADEMIC,
    PartnerKind.PHARMA,
    PartnerKind.PATIENT_ORG,
    PartnerKind.REGULATOR,
    PartnerKind.SME,
    PartnerKind.OTHER,
)

DEMO_PARTNERS: tuple[DemoPartner, ...] = (
    # Germany
    DemoPartner("Universitätsklinikum Heidelberg", "UKHD", "ukhd", "DE", A),
    DemoPartner("Charité – Universitätsmedizin Berlin", "Charité", "charite", "DE", A),  # noqa: RUF001 — the real name has an en dash
    DemoPartner("Universitätsklinikum Ulm", "UKU", "uku", "DE", A),
    DemoPartner("LMU Klinikum München", "LMU", "lmu", "DE", A),
    DemoPartner("Universitätsklinikum Carl Gustav Carus Dresden", "UKD", "ukd", "DE", A),
    DemoPartner("Universitätsklinikum Münster", "UKM", "ukm", "DE", A),
    DemoPartner("Bayer AG", "Bayer", "bayer", "DE", PH),
    DemoPartner("Institut für Qualität und Wirtschaftlichkeit im Gesundheitswesen", "IQWiG", "iqwig", "DE", RG),
    # France
    DemoPartner("Assistance Publique – Hôpitaux de Paris", "AP-HP", "ap-hp", "FR", A),  # noqa: RUF001 — the real name has an en dash
    DemoPartner("Hospices Civils de Lyon", "HCL", "hcl", "FR", A),
    DemoPartner("Gustave Roussy", "Gustave Roussy", "gustave-roussy", "FR", A),
    DemoPartner("CHU de Toulouse", "CHU Toulouse", "chu-toulouse", "FR", A),
    DemoPartner("Institut Paoli-Calmettes", "IPC", "ipc", "FR", A),
    DemoPartner("Sanofi", "Sanofi", "sanofi", "FR", PH),
    DemoPartner("Servier", "Servier", "servier", "FR", PH),
    # Spain
    DemoPartner("Hospital Universitario de Salamanca", "HUSAL", "husal", "ES", A),
    DemoPartner("Hospital Universitari i Politècnic La Fe", "La Fe", "la-fe", "ES", A),
    DemoPartner("Hospital Clínic de Barcelona", "Clínic", "clinic-barcelona", "ES", A),
    DemoPartner("Hospital Universitario 12 de Octubre", "H12O", "h12o", "ES", A),
    DemoPartner("Clínica Universidad de Navarra", "CUN", "cun", "ES", A),
    DemoPartner("Agencia Española de Medicamentos y Productos Sanitarios", "AEMPS", "aemps", "ES", RG),
    DemoPartner("Synapse Research Management Partners", "Synapse", "synapse", "ES", SME),
    # Italy
    DemoPartner("IRCCS Azienda Ospedaliero-Universitaria di Bologna", "AOU Bologna", "aou-bologna", "IT", A),
    DemoPartner("Fondazione IRCCS Policlinico San Matteo", "San Matteo", "san-matteo", "IT", A),
    DemoPartner("Università degli Studi di Roma Tor Vergata", "Tor Vergata", "tor-vergata", "IT", A),
    DemoPartner("Università degli Studi di Firenze", "UNIFI", "unifi", "IT", A),
    DemoPartner("Fondazione GIMEMA", "GIMEMA", "gimema", "IT", OT),
    # Netherlands
    DemoPartner("Erasmus MC", "Erasmus MC", "erasmus-mc", "NL", A),
    DemoPartner("Amsterdam UMC", "Amsterdam UMC", "amsterdam-umc", "NL", A),
    DemoPartner("Radboudumc", "Radboudumc", "radboudumc", "NL", A),
    DemoPartner("Stichting HOVON", "HOVON", "hovon", "NL", OT),
    DemoPartner("European Medicines Agency", "EMA", "ema", "NL", RG),
    DemoPartner("Lymphoma Coalition Europe", "LCE", "lce", "NL", PO),
    DemoPartner("Leiden Genomic Analytics BV", "LGA", "lga", "NL", SME),
    # Belgium
    DemoPartner("Universitair Ziekenhuis Leuven", "UZ Leuven", "uz-leuven", "BE", A),
    DemoPartner("Cliniques universitaires Saint-Luc", "Saint-Luc", "saint-luc", "BE", A),
    DemoPartner("Janssen Pharmaceutica NV", "Janssen", "janssen", "BE", PH),
    DemoPartner("Myeloma Patients Europe", "MPE", "mpe", "BE", PO),
    # Austria
    DemoPartner("Medizinische Universität Wien", "MedUni Wien", "meduni-wien", "AT", A),
    DemoPartner("Medizinische Universität Innsbruck", "MUI", "mui", "AT", A),
    # Sweden
    DemoPartner("Karolinska Institutet", "KI", "ki", "SE", A),
    DemoPartner("Skånes universitetssjukhus", "SUS", "sus", "SE", A),
    # Denmark
    DemoPartner("Rigshospitalet", "RH", "rigshospitalet", "DK", A),
    DemoPartner("Aarhus Universitetshospital", "AUH", "auh", "DK", A),
    DemoPartner("Novo Nordisk Foundation Center for Health Data", "NNF Health Data", "nnf-health-data", "DK", OT),
    # Switzerland
    DemoPartner("Universitätsspital Basel", "USB", "usb", "CH", A),
    DemoPartner("Inselspital Bern", "Insel", "insel", "CH", A),
    DemoPartner("Novartis Pharma AG", "Novartis", "novartis", "CH", PH),
    DemoPartner("F. Hoffmann-La Roche AG", "Roche", "roche", "CH", PH),
    DemoPartner("Takeda Pharmaceuticals International AG", "Takeda", "takeda", "CH", PH),
    DemoPartner("Acute Leukemia Advocates Network", "ALAN", "alan", "CH", PO),
    DemoPartner("CML Advocates Network", "CML AN", "cml-an", "CH", PO),
    # United Kingdom
    DemoPartner("University of Birmingham", "UoB", "uob", "GB", A),
)
