"""The relevance benchmark's own rules: its metrics, how judgment rules resolve over a catalogue, and that
the query files keep the shape the issue asks for (sizes, languages, held-out share, valid keys)."""

import csv
import importlib.util
import math
import sys
from pathlib import Path

import pytest

from catalogue.demo.partner_dictionaries import PARTNER_DICTIONARIES

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("relevance_run", ROOT / "scripts" / "bench" / "relevance" / "run.py")
relevance = importlib.util.module_from_spec(_spec)
sys.modules["relevance_run"] = relevance  # dataclasses look their module up while the file executes
_spec.loader.exec_module(relevance)


def test_hit_mrr_and_ndcg():
    grades = {"a": 3, "b": 1, "c": 2}
    assert relevance.hit_at(["x", "y", "b"], grades) == 1.0
    assert relevance.hit_at(["x"] * 10 + ["a"], grades) == 0.0  # only the first 10 count
    assert relevance.reciprocal_rank(["x", "c", "a"], grades) == 0.5
    assert relevance.reciprocal_rank(["x"], grades) == 0.0
    assert relevance.ndcg_at(["a", "c", "b"], grades) == pytest.approx(1.0)
    worse = relevance.ndcg_at(["b", "c", "a"], grades)
    ideal = 7 + 3 / math.log2(3) + 1 / 2
    assert worse == pytest.approx((1 + 3 / math.log2(3) + 7 / 2) / ideal)
    assert relevance.ndcg_at(["a"], {}) == 0.0


def test_rules_resolve_over_the_catalogue():
    facts = relevance.CatalogueFacts(
        diseases={"aml-1": {"AML"}, "mm-1": {"MM"}},
        data_types={"aml-1": {"clinical"}, "mm-1": {"clinical", "cytogenetics"}},
        variables={"aml-1": ["flt3_itd", "haemoglobin_dx", "haemoglobin_d14"], "mm-1": ["haemoglobin_dx", "t_4_14"]},
    )
    query = relevance.Query(
        id="q",
        split="dev",
        text="haemoglobin at diagnosis",
        language="en",
        kinds=("spelled-out",),
        variable_rules=(
            {"grade": 3, "names": ["haemoglobin_dx"], "diseases": ["AML"]},
            {"grade": 1, "names": ["haemoglobin_*"]},
            {"grade": 2, "keys": ["mm-1/t_4_14"]},
        ),
        dataset_rules=({"grade": 2, "holding": 3}, {"grade": 1, "data_types": ["cytogenetics"], "has": ["t_*"]}),
    )
    variables = relevance.judge_variables(query, facts)
    assert variables == {
        "aml-1/haemoglobin_dx": 3,
        "aml-1/haemoglobin_d14": 1,
        "mm-1/haemoglobin_dx": 1,
        "mm-1/t_4_14": 2,
    }
    assert relevance.judge_datasets(query, facts, variables) == {"aml-1": 2, "mm-1": 1}


def _dictionary_keys() -> set[str]:
    keys = set()
    for entry in PARTNER_DICTIONARIES:
        with entry.csv_path.open(encoding="utf-8") as handle:
            keys |= {f"{entry.slug}/{row['name']}" for row in csv.DictReader(handle)}
    return keys


def test_query_files_have_the_required_shape_and_valid_keys():
    queries = relevance.load_queries()
    heldout = [q for q in queries if q.split == "heldout"]
    non_english = [q for q in queries if q.language != "en"]
    assert len(queries) >= 80
    assert len(non_english) >= 30
    assert len(heldout) >= 0.25 * len(queries)
    assert sum(q.language != "en" for q in heldout) >= 10
    for split in ("dev", "heldout"):
        assert {"de", "fr", "it", "es", "nl"} <= {q.language for q in queries if q.split == split}
    kinds = {kind for q in queries for kind in q.kinds}
    assert {
        "single-concept",
        "abbreviation",
        "spelled-out",
        "misspelled",
        "multi-concept",
        "natural-language",
        "cytogenetic-notation",
        "dataset-level",
        "cross-language",
    } <= kinds
    known_variables = _dictionary_keys()
    known_datasets = {entry.slug for entry in PARTNER_DICTIONARIES}
    for query in queries:
        assert query.variable_rules or query.dataset_rules, query.id
        for rule in query.variable_rules:
            assert set(rule.get("keys", ())) <= known_variables, (query.id, set(rule["keys"]) - known_variables)
        for rule in query.dataset_rules:
            assert set(rule.get("keys", ())) <= known_datasets, query.id
