"""API serializers: shape input for the services and output for clients. No business rules here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.countries import COUNTRIES
from catalogue.models import (
    Concept,
    Consent,
    DataModel,
    Dataset,
    DataType,
    DataUseModifier,
    DiseaseArea,
    Distribution,
    DistributionKind,
    DuoTerm,
    Membership,
    MondoTerm,
    Partner,
    ValueType,
    Variable,
    Vocabulary,
)
from catalogue.services.concepts import ConceptRef, Vocabularies
from catalogue.services.consents import ModifierSpec, consent_plain_words


def translations_field(what: str) -> serializers.DictField:
    """Input and output of a ``{language code: text}`` field; the services check the codes."""
    return serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text=f'The {what} in other languages: ISO 639-1 code → text, e.g. {{"de": "…", "fr": "…"}}.',
    )


# ---- reference vocabularies -------------------------------------------------------------------------------


class DuoTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuoTerm
        fields = [
            "id",
            "short_code",
            "label",
            "kind",
            "definition",
            "example",
            "label_translations",
            "definition_translations",
            "example_translations",
        ]


class DiseaseAreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    mondo = serializers.CharField(source="mondo_id", read_only=True, allow_null=True, help_text="MONDO id.")
    doid = serializers.SerializerMethodField(help_text="Human Disease Ontology id, where MONDO maps to one.")

    class Meta:
        model = DiseaseArea
        fields = ["code", "name", "name_translations", "parent", "icd10", "icdo3", "mondo", "doid"]

    def get_doid(self, area: DiseaseArea) -> str | None:
        return (area.mondo.doid or None) if area.mondo_id else None


class DataTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataType
        fields = ["code", "name", "name_translations", "category"]


class VocabularyIdField(serializers.CharField):
    """A vocabulary of the ``Vocabulary`` table, written as its id (``NCIT``) or an alias; read as the id."""

    def to_representation(self, value: Any) -> str:
        return value.pk if isinstance(value, Vocabulary) else str(value)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        vocabularies = Vocabularies.load()
        canonical = vocabularies.canonical(text)
        if canonical is None:
            raise serializers.ValidationError(vocabularies.unknown_message(text, text))
        return canonical


class ConceptSerializer(serializers.ModelSerializer):
    vocabulary = VocabularyIdField(help_text="A vocabulary id, e.g. HGNC, LOINC, NCIT, ICDO3M.")
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    class Meta:
        model = Concept
        fields = ["vocabulary", "code", "name"]
        validators: list = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        message = Vocabularies.load().code_error(attrs["vocabulary"], attrs["code"])
        if message is not None:
            raise serializers.ValidationError({"code": [message]})
        return attrs


# ---- partners and the current user ------------------------------------------------------------------------


class PartnerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["slug", "short_name", "name", "country"]


class PartnerSerializer(serializers.ModelSerializer):
    country_name = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    published_dataset_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "short_name",
            "country",
            "country_name",
            "kind",
            "kind_label",
            "website",
            "contact_email",
            "description",
            "published_dataset_count",
        ]

    def get_country_name(self, partner: Partner) -> str:
        return COUNTRIES.get(partner.country, partner.country)


class MembershipSerializer(serializers.ModelSerializer):
    partner = PartnerSummarySerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["partner", "role", "role_label", "created_at"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    is_superuser = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)
    curated_partners = serializers.ListField(
        child=serializers.SlugField(), help_text="Partners whose datasets you curate."
    )

    @staticmethod
    def data_for(user: AbstractBaseUser, memberships: Any, curated: list[str]) -> dict[str, Any]:
        return {
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "email": user.email,
            "is_superuser": user.is_superuser,
            "memberships": memberships,
            "curated_partners": curated,
        }


# ---- consents -----------------------------------------------------------------------------------------------


class ModifierSerializer(serializers.ModelSerializer):
    term = serializers.CharField(source="term_id", help_text="DUO id or short code, e.g. DUO:0000024 or MOR.")
    short_code = serializers.CharField(source="term.short_code", read_only=True)
    label = serializers.CharField(source="term.label", read_only=True)

    class Meta:
        model = DataUseModifier
        fields = ["term", "short_code", "label", "until", "value"]
        extra_kwargs = {"until": {"help_text": "Required for MOR and TS."}, "value": {"required": False}}


class MondoTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = MondoTerm
        fields = ["id", "name", "name_translations", "doid"]


class MondoTermDetailSerializer(serializers.ModelSerializer):
    parents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = MondoTerm
        fields = ["id", "name", "name_translations", "doid", "parents"]


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string", "description": "MONDO id or disease area code (input)"},
                {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
            ]
        },
    }
)
class DiseaseTermsField(serializers.Field):
    """A DS consent's diseases: written as identifiers (MONDO id or disease-area code, resolved and checked by the
    consent service, which names an unknown one), read as MONDO terms."""

    def to_representation(self, value: Any) -> list[dict[str, str]]:
        return MondoTermSerializer(value.all(), many=True).data

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise serializers.ValidationError(
                _('Give a list of MONDO ids or disease area codes, e.g. ["MONDO:0018874"].')
            )
        return data


class ConsentSerializer(serializers.ModelSerializer):
    permission = serializers.CharField(
        source="permission_id", help_text="DUO id or short code: GRU, HMB, DS, POA, NRES."
    )
    permission_code = serializers.CharField(source="permission.short_code", read_only=True)
    permission_label = serializers.CharField(source="permission.label", read_only=True)
    diseases = DiseaseTermsField(
        required=False,
        help_text=(
            "DS only: the diseases the data may be used for, each a MONDO id of the hematology subset "
            "(MONDO:0018874) or a disease area code (AML); read back as MONDO terms."
        ),
    )
    modifiers = ModifierSerializer(many=True, required=False)
    plain_words = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "form_version",
            "participant_count",
            "permission",
            "permission_code",
            "permission_label",
            "diseases",
            "modifiers",
            "plain_words",
            "withdrawn_at",
            "created_at",
        ]
        read_only_fields = ["withdrawn_at"]
        validators: list = []  # uniqueness of form_version is the service's rule (reported per field)

    def get_plain_words(self, consent: Consent) -> str:
        return consent_plain_words(consent)

    def service_arguments(self) -> dict[str, Any]:
        """The validated input as keyword arguments for consent_create / consent_update."""
        data = dict(self.validated_data)
        if "permission_id" in data:
            data["permission"] = data.pop("permission_id")
        if "modifiers" in data:
            data["modifiers"] = [
                ModifierSpec(term=m["term_id"], until=m.get("until"), value=m.get("value", ""))
                for m in data["modifiers"]
            ]
        return data


# ---- distributions ------------------------------------------------------------------------------------------


class DistributionSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True, required=False, help_text="Upload (multipart); never served back.")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Distribution
        fields = [
            "id",
            "title",
            "kind",
            "file",
            "has_file",
            "access_url",
            "media_type",
            "byte_size",
            "checksum_sha256",
            "created_at",
        ]
        read_only_fields = ["kind", "checksum_sha256", "created_at"]

    def get_has_file(self, distribution: Distribution) -> bool:
        return distribution.kind == DistributionKind.FILE and bool(distribution.file)


# ---- variables ----------------------------------------------------------------------------------------------


class VariableSerializer(serializers.ModelSerializer):
    concepts = ConceptSerializer(many=True, required=False)
    categories = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    value_type = serializers.ChoiceField(choices=ValueType.choices)
    label_translations = translations_field("label")
    description_translations = translations_field("description")

    class Meta:
        model = Variable
        fields = [
            "id",
            "name",
            "label",
            "description",
            "label_translations",
            "description_translations",
            "value_type",
            "unit",
            "categories",
            "completeness",
            "position",
            "concepts",
        ]
        extra_kwargs = {"position": {"required": False}}
        validators: list = []  # name uniqueness within the dataset is the service's rule

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "concepts" in data:
            data["concepts"] = [ConceptRef(c["vocabulary"], c["code"], c.get("name", "")) for c in data["concepts"]]
        return data


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Spreadsheet row number (the header is row 1).")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class DictionaryImportSerializer(serializers.Serializer):
    file = serializers.FileField(write_only=True, help_text="CSV (UTF-8) or XLSX data dictionary.")
    strict = serializers.BooleanField(
        default=False, help_text="Refuse unknown columns (by default they are warnings and their values ignored)."
    )


class DictionaryImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    removed = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    warnings = RowErrorSerializer(many=True, help_text="Unknown columns, ignored (a strict import refuses them).")


# ---- datasets -----------------------------------------------------------------------------------------------


class DatasetSerializer(serializers.ModelSerializer):
    partner = PartnerSummarySerializer(read_only=True)
    disease_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    data_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    variable_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title",
            "partner",
            "status",
            "description",
            "title_translations",
            "description_translations",
            "disease_areas",
            "data_types",
            "patient_count",
            "sample_count",
            "collection_start",
            "collection_end",
            "patient_countries",
            "data_model",
            "keywords",
            "version",
            "contact_email",
            "persistent_identifier",
            "variable_count",
            "created_at",
            "updated_at",
            "published_at",
            "retired_at",
        ]


class DatasetDetailSerializer(DatasetSerializer):
    consents = ConsentSerializer(many=True, read_only=True)
    distributions = DistributionSerializer(many=True, read_only=True)

    class Meta(DatasetSerializer.Meta):
        fields = [*DatasetSerializer.Meta.fields, "consents", "distributions"]


class DatasetWriteSerializer(serializers.Serializer):
    """Input for dataset_create / dataset_update; rules (slug uniqueness, periods, countries) are the service's."""

    partner = serializers.SlugRelatedField(
        slug_field="slug", queryset=Partner.objects.all(), help_text="Owning partner (create only)."
    )
    title = serializers.CharField(max_length=300)
    slug = serializers.SlugField(max_length=120, required=False, help_text="Derived from the title when left out.")
    description = serializers.CharField(required=False, allow_blank=True)
    title_translations = translations_field("title")
    description_translations = translations_field("description")
    disease_areas = serializers.SlugRelatedField(
        slug_field="code", queryset=DiseaseArea.objects.all(), many=True, required=False
    )
    data_types = serializers.SlugRelatedField(
        slug_field="code", queryset=DataType.objects.all(), many=True, required=False
    )
    patient_count = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    sample_count = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    collection_start = serializers.DateField(required=False, allow_null=True)
    collection_end = serializers.DateField(required=False, allow_null=True)
    patient_countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    data_model = serializers.ChoiceField(choices=DataModel.choices, required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    version = serializers.CharField(max_length=30, required=False)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    persistent_identifier = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DatasetUpdateSerializer(DatasetWriteSerializer):
    partner = None  # the owning partner never changes
