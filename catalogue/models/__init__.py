from catalogue.models.datasets import (
    Consent,
    DataModel,
    Dataset,
    DatasetStatus,
    DataUseModifier,
    Distribution,
    DistributionKind,
    ValueType,
    Variable,
)
from catalogue.models.figures import VariableFigures
from catalogue.models.partners import Membership, MembershipRole, Partner, PartnerKind
from catalogue.models.vocabularies import (
    Concept,
    DataType,
    DiseaseArea,
    DuoKind,
    DuoTerm,
    MondoTerm,
    Vocabulary,
    mondo_lineages,
)

__all__ = [
    "Concept",
    "Consent",
    "DataModel",
    "DataType",
    "DataUseModifier",
    "Dataset",
    "DatasetStatus",
    "DiseaseArea",
    "Distribution",
    "DistributionKind",
    "DuoKind",
    "DuoTerm",
    "Membership",
    "MembershipRole",
    "MondoTerm",
    "Partner",
    "PartnerKind",
    "ValueType",
    "Variable",
    "VariableFigures",
    "Vocabulary",
    "mondo_lineages",
]
