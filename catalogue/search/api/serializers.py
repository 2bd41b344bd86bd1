"""Search API serializers: query parameters in (validated, 400 with field messages), results out."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from catalogue.consent_matching import (
    PURPOSE_LABELS,
    PURPOSES,
    SENSITIVE_RESEARCH,
    IntendedUse,
    finding_code,
    parameter_codes,
)
from catalogue.countries import COUNTRIES
from catalogue.models import Partner
from catalogue.search.analysis import LANGUAGES
from catalogue.search.backends.base import MAX_RESULT_WINDOW, SORTS, SUGGESTION_KINDS
from catalogue.search.facets import (
    DATASET_FACETS,
    FACET_LABELS,
    VARIABLE_FACETS,
    clear_facet_label_cache,
    facet_value_labels,
)
from catalogue.search.intended_use import USE_VERDICTS, build_intended_use, user_is_for_profit
from catalogue.selectors import mondo_term_for, unknown_disease_message
from harmony.wording import in_sentence

MAX_PAGE_SIZE = 100
MAX_CONCEPTS = 10
_DECADE = re.compile(r"^\d{3}0s$")


def _unknown_language_message() -> str:
    return _("Unknown language {input!r}: use one of %(languages)s.") % {"languages": ", ".join(sorted(LANGUAGES))}


_unknown_language = lazy(_unknown_language_message, str)


class FieldsBuiltOnce(serializers.Serializer):
    """A serializer whose fields are built once per class, not once per instance.

    DRF deep-copies every declared field for each serializer instance: for the search parameters (about
    35 fields) that took 4 of the 5 ms their validation cost. The parameter serializers keep no
    per-request state in their fields (they validate their data alone and read no context), so one set,
    bound to a blank prototype of the class, serves every instance and thread.
    An instance given a context builds its own fields, as DRF does, since a field may read it.
    """

    @property
    def fields(self) -> BindingDict:  # type: ignore[override]
        if self._context:
            return self._own_fields
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            prototype = cls()
            built = BindingDict(prototype)
            for name, field in prototype.get_fields().items():
                built[name] = field
            cls._fields_built_once = built  # two threads building at once both build the same set: harmless
        return built

    @cached_property
    def _own_fields(self) -> BindingDict:
        own = BindingDict(self)
        for name, field in self.get_fields().items():
            own[name] = field
        return own


def _known_facet_value(name: str, value: str) -> bool:
    if name == "period":
        return bool(_DECADE.match(value))
    if value in facet_value_labels()[name]:
        return True
    clear_facet_label_cache()  # the labels are cached: a partner created a moment ago is not a typo
    return value in facet_value_labels()[name]


class _FacetFiltersMixin(FieldsBuiltOnce):
    """Facet selections as repeated query parameters (``?disease=AML&disease=CLL&country=DE``).

    Values of the same facet are alternatives; different facets must all hold. Every value
    must exist (an unknown disease code is a 400, not an empty result).
    """

    facet_names: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        errors: dict[str, list[str]] = {}
        for name in self.facet_names:
            for value in attrs.get(name, []):
                if not _known_facet_value(name, value):
                    errors.setdefault(name, []).append(
                        _("Unknown %(facet)s %(value)s.")
                        % {"facet": in_sentence(FACET_LABELS[name]), "value": repr(value)}
                    )
        page, page_size = attrs.get("page", 1), attrs.get("page_size", 20)
        if page * page_size > MAX_RESULT_WINDOW:
            errors["page"] = [
                _("Only the first %(count)s results can be paged through; narrow the search.")
                % {"count": MAX_RESULT_WINDOW}
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def filters(self) -> dict[str, list[str]]:
        return {name: self.validated_data[name] for name in self.facet_names if self.validated_data.get(name)}


def _facet_fields(names: tuple[str, ...]) -> dict[str, serializers.Field]:
    return {
        name: serializers.ListField(
            child=serializers.CharField(max_length=100), required=False, help_text=f"{FACET_LABELS[name]} (repeatable)."
        )
        for name in names
    }


class _SearchParams(FieldsBuiltOnce):
    q = serializers.CharField(required=False, allow_blank=True, max_length=300, default="", help_text="Free text.")
    sort = serializers.ChoiceField(choices=SORTS, default="relevance")
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=20)
    include_retired = serializers.BooleanField(
        default=False, help_text="Also retired datasets (for curators of their partner)."
    )
    facets = serializers.BooleanField(default=True, help_text="Return facet counts.")
    lang = serializers.ChoiceField(
        choices=sorted(LANGUAGES),
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "The language `q` is written in (ISO 639-1). Without it the query is stemmed in every supported "
            "language and a word matches any of its stems."
        ),
        error_messages={
            # Worded when the error is raised, in the request's language; DRF fills in {input}.
            "invalid_choice": _unknown_language(),
        },
    )


_USE_FLAGS = {
    "use_commercial": "commercial",
    "use_will_publish": "will_publish",
    "use_collaboration": "collaboration_with_holder",
    "use_methods_development": "methods_development",
    "use_genetic_studies": "genetic_studies",
}


class IntendedUseParamsSerializer(FieldsBuiltOnce):
    """An intended use, stated once (``use_purpose`` and the rest): each dataset hit then says whether its
    consents admit it, and ``use_verdict`` keeps only the datasets with those verdicts."""

    use_purpose = serializers.CharField(
        required=False,
        max_length=10,
        help_text="Intended research purpose, a DUO code: "
        + ", ".join(f"{code} ({label})" for code, label in PURPOSE_LABELS.items())
        + ".",
    )
    use_disease = serializers.CharField(
        required=False,
        max_length=20,
        help_text=(
            "The disease researched (required for DS; for METHODS, the disease the methods are for): a MONDO id "
            "of the hematology subset (MONDO:0018874) or a disease area code (AML)."
        ),
    )
    use_commercial = serializers.BooleanField(required=False, help_text="The use is commercial.")
    use_for_profit = serializers.BooleanField(
        required=False,
        allow_null=True,  # absent means "not said" (None), not False: then it defaults from the user
        help_text="The requesting organisation is for-profit (default: whether any partner you belong to is).",
    )
    use_will_publish = serializers.BooleanField(required=False, help_text="The results will be published.")
    use_collaboration = serializers.BooleanField(required=False, help_text="In collaboration with the data holder.")
    use_methods_development = serializers.BooleanField(required=False, help_text="Methods or software development.")
    use_genetic_studies = serializers.BooleanField(required=False, help_text="The research is a genetic study.")
    use_ethics_reference = serializers.CharField(required=False, max_length=200, help_text="Ethics approval reference.")
    use_ethics_expiry = serializers.DateField(required=False, help_text="Ethics approval expiry (YYYY-MM-DD).")
    use_end = serializers.DateField(required=False, help_text="Planned end of the use (YYYY-MM-DD).")
    use_publication_date = serializers.DateField(
        required=False, help_text="Planned first publication of results (YYYY-MM-DD), checked against MOR."
    )
    use_countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        help_text="Repeatable: ISO 3166-1 codes of the countries where the data will be used, checked against GS.",
    )
    use_institution = serializers.CharField(
        required=False,
        max_length=60,
        help_text="The requesting institution, a partner's slug or short name, checked against IS.",
    )
    use_sensitive = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(SENSITIVE_RESEARCH)),
        required=False,
        help_text="Repeatable: sensitive research the use involves (each needs committee review): "
        + ", ".join(f"{code} ({label})" for code, label in SENSITIVE_RESEARCH.items())
        + ".",
    )
    use_verdict = serializers.ListField(
        child=serializers.ChoiceField(choices=USE_VERDICTS),
        required=False,
        help_text="Repeatable: keep only datasets with these verdicts for the intended use (e.g. admitted).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        errors: dict[str, list[str]] = {}
        purpose = attrs.get("use_purpose")
        stated = [name for name in self.fields if name.startswith("use_") and attrs.get(name)]
        if purpose is None:
            if stated:
                errors["use_purpose"] = [
                    _("State the research purpose (%(purposes)s) of the intended use.")
                    % {"purposes": ", ".join(PURPOSES)}
                ]
        elif purpose.upper() not in PURPOSES:
            errors["use_purpose"] = [
                _("Unknown research purpose %(purpose)s: use one of %(purposes)s.")
                % {"purpose": repr(purpose), "purposes": ", ".join(PURPOSES)}
            ]
        else:
            attrs["use_purpose"] = purpose.upper()
        code = attrs.get("use_disease")
        if code:
            disease = mondo_term_for(code)
            if disease is None:
                errors["use_disease"] = [unknown_disease_message(code)]
            attrs["use_disease"] = disease
        elif attrs.get("use_purpose") == "DS":
            errors["use_disease"] = [_("Disease-specific research (DS) needs the disease it is about.")]
        countries = [part.upper() for value in attrs.get("use_countries", []) for part in parameter_codes(value)]
        unknown = [country for country in countries if country not in COUNTRIES]
        if unknown:
            errors["use_countries"] = [
                _("Unknown country %(country)s: use ISO 3166-1 alpha-2 codes such as DE, FR, IT.")
                % {"country": repr(country)}
                for country in unknown
            ]
        attrs["use_countries"] = countries
        institution = attrs.get("use_institution")
        if institution:
            partner = Partner.objects.filter(Q(slug__iexact=institution) | Q(short_name__iexact=institution)).first()
            if partner is None:
                errors["use_institution"] = [
                    _("Unknown institution %(institution)s: give a partner's slug or short name.")
                    % {"institution": repr(institution)}
                ]
            attrs["use_institution"] = partner
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def intended_use(self, user: Any) -> IntendedUse | None:
        """The validated intended use (``None`` when none was stated); for-profit defaults from ``user``."""
        data = self.validated_data
        if not data.get("use_purpose"):
            return None
        for_profit = data.get("use_for_profit")
        return build_intended_use(
            purpose=data["use_purpose"],
            disease=data.get("use_disease"),
            for_profit=user_is_for_profit(user) if for_profit is None else for_profit,
            ethics_reference=data.get("use_ethics_reference", ""),
            ethics_expiry=data.get("use_ethics_expiry"),
            end=data.get("use_end"),
            publication_date=data.get("use_publication_date"),
            countries=data.get("use_countries", ()),
            institution=data.get("use_institution"),
            sensitive=data.get("use_sensitive", ()),
            **{keyword: data.get(name, False) for name, keyword in _USE_FLAGS.items()},
        )


class _MatchedVariablesParam(FieldsBuiltOnce):
    matched_variables = serializers.BooleanField(
        default=False,
        help_text=(
            "List each dataset hit's best-matching variables (up to three, highlighted). Costs one more "
            "search request, so it is asked for, not the default."
        ),
    )


# The facet parameters are generated from the facet registry so API, pages and backends never disagree.
DatasetSearchParamsSerializer = type(
    "DatasetSearchParamsSerializer",
    (_MatchedVariablesParam, _FacetFiltersMixin, IntendedUseParamsSerializer, _SearchParams),
    {"facet_names": DATASET_FACETS, **_facet_fields(DATASET_FACETS)},
)
VariableSearchParamsSerializer = type(
    "VariableSearchParamsSerializer",
    (_FacetFiltersMixin, IntendedUseParamsSerializer, _SearchParams),
    {"facet_names": VARIABLE_FACETS, **_facet_fields(VARIABLE_FACETS)},
)


class SuggestParamsSerializer(FieldsBuiltOnce):
    q = serializers.CharField(max_length=100, help_text="What the user has typed so far.")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=8)


class FeasibilityParamsSerializer(FieldsBuiltOnce):
    concept = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=MAX_CONCEPTS,
        help_text='Repeatable: a concept code ("HGNC:NPM1", "LOINC:21907-1") or words of a variable name or label.',
    )
    min_patients = serializers.IntegerField(min_value=0, required=False)
    disease = serializers.CharField(required=False, max_length=20, help_text="Disease area code, e.g. AML.")
    include_retired = serializers.BooleanField(default=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)

    def validate_disease(self, value: str) -> str:
        if not _known_facet_value("disease", value):
            raise serializers.ValidationError(_("Unknown disease area %(code)s.") % {"code": repr(value)})
        return value

    def validate_concept(self, value: list[str]) -> list[str]:
        cleaned = [concept.strip() for concept in value]
        if any(not concept for concept in cleaned):
            raise serializers.ValidationError(_("A concept cannot be blank."))
        return cleaned


# Responses ---------------------------------------------------------------------------------


class SearchFacetCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="partner_id")
    name = serializers.CharField(source="partner_name")


class UseVerdictSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=USE_VERDICTS)
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why the consents do not admit the use.")
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="What the committee must still check, and obligations."
    )
    reason_codes = serializers.SerializerMethodField(
        help_text="Each reason's machine code, in the order of ``reasons``; the same in every language."
    )
    note_codes = serializers.SerializerMethodField(
        help_text="Each note's machine code, in the order of ``notes``; codes starting with review. need review."
    )

    def get_reason_codes(self, verdict: Any) -> list[str]:
        return [finding_code(reason) for reason in verdict.reasons]

    def get_note_codes(self, verdict: Any) -> list[str]:
        return [finding_code(note) for note in verdict.notes]


class MatchedVariableSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="document.id")
    name = serializers.CharField(source="document.name")
    label = serializers.CharField(source="document.label")
    highlights = serializers.DictField(child=serializers.CharField())


class DatasetHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="document.id")
    slug = serializers.CharField(source="document.slug")
    title = serializers.CharField(source="document.title")
    description = serializers.CharField(source="document.description")
    status = serializers.CharField(source="document.status")
    partner = SearchPartnerSerializer(source="document")
    patient_count = serializers.IntegerField(source="document.patient_count", allow_null=True)
    sample_count = serializers.IntegerField(source="document.sample_count", allow_null=True)
    collection_start = serializers.DateField(source="document.collection_start", allow_null=True)
    collection_end = serializers.DateField(source="document.collection_end", allow_null=True)
    updated_at = serializers.DateTimeField(source="document.updated_at")
    variable_count = serializers.IntegerField(source="document.variable_count")
    facets = serializers.DictField(source="document.facets", child=serializers.ListField(child=serializers.CharField()))
    score = serializers.FloatField(allow_null=True)
    highlights = serializers.DictField(
        child=serializers.CharField(), help_text="HTML-escaped text with <mark> around the matching words."
    )
    semantic_only = serializers.BooleanField(
        help_text="Found by cross-language semantic matching alone: similar in meaning, no word matched."
    )
    intended_use = UseVerdictSerializer(
        source="use_verdict", allow_null=True, help_text="Whether the consents admit the stated intended use."
    )
    matched_variables = MatchedVariableSerializer(
        many=True, help_text="Text searches: up to three of the dataset's variables that match best, with highlights."
    )
    url = serializers.SerializerMethodField()

    def get_url(self, hit: Any) -> str:
        return reverse("dataset_detail", kwargs={"slug": hit.document["slug"]})


class SearchConceptSerializer(serializers.Serializer):
    vocabulary = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class SearchDatasetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="dataset_id")
    slug = serializers.CharField(source="dataset_slug")
    title = serializers.CharField(source="dataset_title")


class VariableHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="document.id")
    name = serializers.CharField(source="document.name")
    label = serializers.CharField(source="document.label")
    description = serializers.CharField(source="document.description")
    value_type = serializers.CharField(source="document.value_type")
    unit = serializers.CharField(source="document.unit")
    concepts = SearchConceptSerializer(source="document.concepts", many=True)
    dataset = SearchDatasetRefSerializer(source="document")
    partner = SearchPartnerSerializer(source="document")
    status = serializers.CharField(source="document.status")
    patient_count = serializers.IntegerField(source="document.patient_count", allow_null=True)
    score = serializers.FloatField(allow_null=True)
    highlights = serializers.DictField(child=serializers.CharField())
    semantic_only = serializers.BooleanField(
        help_text="Found by cross-language semantic matching alone: similar in meaning, no word matched."
    )
    intended_use = UseVerdictSerializer(
        source="use_verdict", allow_null=True, help_text="Whether the dataset's consents admit the stated use."
    )


class SemanticLegSerializer(serializers.Serializer):
    used = serializers.BooleanField(help_text="Cross-language semantic matches were fused into the results.")
    note = serializers.CharField(help_text="Why a relevance search could not use them ('' otherwise).")


class _SearchResponse(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Total number of matches (not only this page): lexical matches plus semantic neighbours."
    )
    semantic = SemanticLegSerializer()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    facets = serializers.DictField(child=SearchFacetCountSerializer(many=True))
    expanded_terms = serializers.ListField(
        child=serializers.CharField(),
        help_text="Synonyms, translations and codes the thesaurus added to the query (also searched).",
    )
    did_you_mean = serializers.CharField(
        allow_null=True, help_text="When nothing matched: the query with its unknown words corrected, else null."
    )


class DatasetSearchResponseSerializer(_SearchResponse):
    results = DatasetHitSerializer(many=True)


class VariableSearchResponseSerializer(_SearchResponse):
    results = VariableHitSerializer(many=True)


class SearchSuggestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=SUGGESTION_KINDS)
    dataset_slug = serializers.CharField(
        help_text="Datasets and variables: the dataset; empty for concepts and diseases."
    )


class SuggestResponseSerializer(serializers.Serializer):
    suggestions = SearchSuggestionSerializer(many=True)


class SearchVariableRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    label = serializers.CharField()


class FeasibilityMatchSerializer(serializers.Serializer):
    concept = serializers.CharField()
    variable = SearchVariableRefSerializer()


class FeasibilityDatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="dataset.id")
    slug = serializers.CharField(source="dataset.slug")
    title = serializers.CharField(source="dataset.title")
    partner = SearchPartnerSerializer(source="dataset")
    patient_count = serializers.IntegerField(source="dataset.patient_count", allow_null=True)
    matches = FeasibilityMatchSerializer(many=True)


class FeasibilityResponseSerializer(serializers.Serializer):
    total_datasets = serializers.IntegerField()
    total_patients = serializers.IntegerField(help_text="Sum of the patient counts of all matching datasets.")
    datasets = FeasibilityDatasetSerializer(many=True)
