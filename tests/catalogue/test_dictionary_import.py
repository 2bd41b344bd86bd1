"""Data dictionary import: validation with row/column errors, all-or-nothing writes, re-import by name."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from catalogue.dictionary_preview import preview_dictionary
from catalogue.importers.dictionary import import_data_dictionary, validate_data_dictionary
from catalogue.importers.template import dictionary_template
from catalogue.models import Concept, Variable
from catalogue.search.models import SearchChange
from tests.catalogue.factories import DatasetFactory, VariableFactory

HEADER = "name,label,value_type,unit,categories,completeness,concepts\n"
VOCABULARY_IDS = "ATC, HGNC, HPO, ICD10, ICDO3M, ICDO3T, LOINC, MEDDRA, NCIT, OMOP, SNOMED"
CATEGORY_FORM = "code=label pairs separated by ';', '|' or new lines (e.g. \"1=stage I | 2=stage II\")"


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def dataset(cast):
    return DatasetFactory(partner=cast.partner_a)


@pytest.mark.django_db
def test_valid_csv_creates_variables_with_concepts(cast, dataset):
    text = HEADER + (
        'flt3_itd,FLT3-ITD status,categorical,,"0=negative; 1=positive",95%,HGNC:FLT3\n'
        "hb,Haemoglobin,decimal,g/dL,,99.5,LOINC:718-7=Hemoglobin; OMOP:3000963\n"
        "\n"
        "dx_date,Date of diagnosis,DATE,,,,\n"
    )
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.removed) == (3, 0, 0)
    flt3 = Variable.objects.get(name="flt3_itd")
    assert flt3.categories == {"0": "negative", "1": "positive"}
    assert str(flt3.completeness) == "95.00"
    assert [(c.vocabulary_id, c.code) for c in flt3.concepts.all()] == [("HGNC", "FLT3")]
    assert Concept.objects.get(code="718-7").name == "Hemoglobin"
    assert list(dataset.variables.values_list("name", flat=True)) == ["flt3_itd", "hb", "dx_date"]
    assert Variable.objects.get(name="dx_date").value_type == "date"
    assert SearchChange.objects.filter(dataset_id=dataset.pk).exists()


@pytest.mark.django_db
def test_reimport_updates_by_name_and_removes_missing(cast, dataset):
    first = HEADER + "a,A,text,,,,HGNC:NPM1\nb,B,text,,,,\nc,C,text,,,,\n"
    import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(first))
    ids = dict(Variable.objects.values_list("name", "pk"))
    second = HEADER + "a,A,text,,,,HGNC:NPM1\nb,B changed,integer,,,,HGNC:TP53\nd,D,text,,,,\n"
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(second))
    assert (result.created, result.updated, result.unchanged, result.removed) == (1, 1, 1, 1)
    assert sorted(Variable.objects.values_list("name", flat=True)) == ["a", "b", "d"]
    b = Variable.objects.get(name="b")
    assert (b.pk, b.label, b.value_type) == (ids["b"], "B changed", "integer")
    assert [c.code for c in b.concepts.all()] == ["TP53"]
    assert [c.code for c in Variable.objects.get(name="a").concepts.all()] == ["NPM1"]


@pytest.mark.django_db
def test_every_row_error_is_reported_and_nothing_is_written(cast, dataset):
    VariableFactory(dataset=dataset, name="existing")
    text = HEADER + (
        "ok,Fine,text,,,,\n"
        ",No name,text,,,,\n"
        "colour,Colour,colour,,,,\n"
        "cat,Cat,categorical,,,,\n"
        "pct,Pct,integer,,,150,\n"
        "pct2,Pct,integer,,,abc,\n"
        "cpt,Concept,text,,,,FOO:1\n"
        "ok,Again,text,,,,\n"
        "bad_cats,Cats,categorical,,novalue,,\n"
    )
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text))
    assert not result.ok
    assert errors_of(result) == [
        (3, "name", "A variable needs a name."),
        (
            4,
            "value_type",
            "Unknown value type 'colour'; use one of integer, decimal, text, date, boolean, categorical.",
        ),
        (5, "categories", 'A categorical variable needs its categories, e.g. "0=negative; 1=positive".'),
        (6, "completeness", "Completeness is a percentage between 0 and 100, not 150.00."),
        (7, "completeness", "'abc' is not a number; give a percentage between 0 and 100."),
        (8, "concepts", f"Unknown vocabulary 'FOO' in 'FOO:1'; use one of {VOCABULARY_IDS}."),
        (9, "name", "Duplicate variable name 'ok' (first used in row 2)."),
        (10, "categories", f"'novalue' cannot be read as categories: write {CATEGORY_FORM}."),
    ]
    assert list(Variable.objects.values_list("name", flat=True)) == ["existing"]
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_wrong_header_names_the_expected_columns_in_a_strict_import(cast, dataset):
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file("variable,label,type\nx,X,text\n"), strict=True
    )
    expected = (
        "Expected columns: name, label, description, value_type, unit, categories, completeness, concepts,"
        " label_<language>, description_<language> (required: name, value_type)."
    )
    assert errors_of(result) == [
        (1, "variable", f"Unknown column 'variable'. {expected}"),
        (1, "type", f"Unknown column 'type'. {expected}"),
        (1, None, f"Missing required column(s): name, value_type. {expected}"),
    ]


@pytest.mark.django_db
def test_labels_and_descriptions_in_other_languages_are_imported_and_updated(cast, dataset):
    header = "name,value_type,label,label_DE,label_fr,description,description_it\n"
    first = (
        header
        + "hb,decimal,Haemoglobin,Hämoglobin,Taux d'hémoglobine,At diagnosis,Alla diagnosi\nwbc,decimal,WBC,,,,\n"
    )
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(first))
    assert result.ok, result.errors
    hb = Variable.objects.get(name="hb")
    assert hb.label_translations == {"de": "Hämoglobin", "fr": "Taux d'hémoglobine"}
    assert hb.description_translations == {"it": "Alla diagnosi"}
    assert Variable.objects.get(name="wbc").label_translations == {}

    second = header + "hb,decimal,Haemoglobin,Hämoglobin,,At diagnosis,Alla diagnosi\nwbc,decimal,WBC,Leukozyten,,,\n"
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(second))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert Variable.objects.get(name="hb").label_translations == {"de": "Hämoglobin"}
    assert Variable.objects.get(name="wbc").label_translations == {"de": "Leukozyten"}
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(second))
    assert (result.updated, result.unchanged) == (0, 2)


@pytest.mark.django_db
def test_unknown_language_column_and_too_long_translation_are_row_errors(cast, dataset):
    result = validate_data_dictionary(csv_file("name,value_type,label_xx\nx,text,X\n"), strict=True)
    assert errors_of(result) == [
        (
            1,
            "label_xx",
            "Unknown column 'label_xx': 'xx' is not a supported language; "
            "use label_<code> with one of de, fr, it, es, nl, pt, sv, da, fi.",
        )
    ]
    result = validate_data_dictionary(csv_file("name,value_type,label_nl\nx,text," + "a" * 301 + "\ny,text,  \n"))
    assert errors_of(result) == [(2, "label_nl", "The nl text has at most 300 characters (this one has 301).")]


@pytest.mark.django_db
def test_malformed_csv_and_wrong_row_width(cast, dataset):
    result = validate_data_dictionary(csv_file('name,value_type\nx,text\n"y"z,text\n'))
    assert errors_of(result) == [(3, None, "Malformed CSV: ',' expected after '\"'.")]
    result = validate_data_dictionary(csv_file("name,value_type\nx,text,extra\ny\n"))
    assert errors_of(result) == [
        (2, None, "This row has 3 values but the header has 2 columns."),
        (3, None, "This row has 1 values but the header has 2 columns."),
    ]


@pytest.mark.django_db
def test_non_utf8_text_is_refused_with_its_row(cast, dataset):
    text = "name,label,value_type\nwbc,Leukozyten,decimal\nhb,Hämoglobin,decimal\n"
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text, encoding="latin-1")
    )
    assert errors_of(result) == [
        (3, None, "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” or as XLSX.")
    ]
    assert not Variable.objects.exists()


@pytest.mark.django_db
def test_semicolon_csv_with_bom_is_read(cast, dataset):
    text = "\ufeffname;label;value_type\nhb;Hämoglobin;decimal\n"
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text))
    assert result.ok and Variable.objects.get().label == "Hämoglobin"


@pytest.mark.django_db
def test_files_over_the_size_limit_are_refused_before_reading(cast, dataset, settings):
    settings.HARMONY_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    big = io.BytesIO(HEADER.encode() + b"x" * (50 * 1024 * 1024))
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=big)
    assert errors_of(result) == [(None, None, "The file is 50.0 MB; the limit is 50 MB.")]


@pytest.mark.django_db
def test_xlsx_import_and_bad_xlsx(cast, dataset):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Value type", "Completeness", "Categories"])
    sheet.append(["ecog", "categorical", 87.5, "0=fully active; 1=restricted"])
    sheet.append([None, None, None, None])
    sheet.append(["age", "integer", 100, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=buffer, filename="d.xlsx")
    assert result.ok, result.errors
    assert sorted(Variable.objects.values_list("name", "completeness")) == [("age", 100), ("ecog", 87.5)]
    workbook = Workbook()
    workbook.active.append(["name", "value_type", "description"])
    workbook.active.append(["ecog", "integer", 'Line one, with "quotes"\nline two; and more'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=buffer, filename="e.xlsx")
    assert (result.ok, result.updated, result.removed) == (True, 1, 1)
    assert Variable.objects.get().description == 'Line one, with "quotes"\nline two; and more'
    result = validate_data_dictionary(io.BytesIO(b"PK\x03\x04 not really a zip"), filename="d.xlsx")
    assert result.errors[0].message.startswith("This is not a readable XLSX file")
    result = validate_data_dictionary(io.BytesIO(b"\xd0\xcf\x11\xe0"), filename="old.xls")
    assert errors_of(result) == [
        (None, None, "Old Excel .xls files are not supported: save the sheet as .xlsx or CSV (UTF-8).")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_imports_cleanly(cast, dataset, fmt):
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=io.BytesIO(dictionary_template(fmt)), filename=f"t.{fmt}"
    )
    assert result.ok, result.errors
    assert result.created == 3


@pytest.mark.django_db
def test_other_partners_curator_cannot_import(cast, dataset):
    with pytest.raises(PermissionDenied):
        import_data_dictionary(actor=cast.carl_other_curator, dataset=dataset, file=csv_file(HEADER))


@pytest.mark.django_db
def test_error_list_is_capped_with_a_count_of_the_rest(cast, dataset):
    text = "name,value_type\n" + "".join(f"v{n},colour\n" for n in range(1005))
    result = validate_data_dictionary(csv_file(text))
    assert result.error_count == 1005
    assert len(result.errors) == 1001
    assert result.errors[-1].message == "… and 5 more errors not listed."


@pytest.mark.django_db
def test_import_of_100000_variables(cast, dataset):
    rows = (
        f"var_{n:06d},Variable {n},{'categorical' if n % 3 == 0 else 'decimal'},mg/dL,"
        f"{'0=no; 1=yes' if n % 3 == 0 else ''},{n % 101},LOINC:{n % 500}-1; HGNC:G{n % 50}\n"
        for n in range(100_000)
    )
    data = io.BytesIO((HEADER + "".join(rows)).encode())
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=data)
    assert result.ok, result.errors[:5]
    assert (result.created, result.updated, result.removed) == (100_000, 0, 0)
    assert dataset.variables.count() == 100_000
    assert Concept.objects.count() == 550
    assert Variable.concepts.through.objects.filter(variable__dataset=dataset).count() == 200_000


FULL_HEADER = "name,label,label_de,description,description_fr,value_type,unit,categories,completeness,concepts\n"
FULL_ROWS = (
    'flt3,FLT3-ITD,FLT3-ITD-Status,Allelic ratio,Rapport allélique,categorical,,"0=neg; 1=pos",85.5%,'
    "HGNC:FLT3; HGNC:FLT3; NCIT:C3171\n"
    "hb,Haemoglobin,,,,decimal,g/dL,,99,LOINC:718-7\n"
    "note,,,,,text,,,,\n"
)


@pytest.mark.django_db
def test_a_first_import_stores_exactly_what_preview_and_re_import_compare(cast, dataset):
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(FULL_HEADER + FULL_ROWS)
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0), result.errors
    flt3 = Variable.objects.get(name="flt3")
    assert (flt3.label_translations, flt3.description_translations) == (
        {"de": "FLT3-ITD-Status"},
        {"fr": "Rapport allélique"},
    )
    assert (flt3.categories, str(flt3.completeness), flt3.position) == ({"0": "neg", "1": "pos"}, "85.50", 1)
    assert sorted(c.code for c in flt3.concepts.all()) == ["C3171", "FLT3"]  # named twice, linked once
    assert (Variable.objects.get(name="note").completeness, Variable.objects.get(name="note").categories) == (None, {})

    preview = preview_dictionary(dataset, csv_file(FULL_HEADER + FULL_ROWS))
    assert (preview.created, preview.updated, preview.unchanged, preview.removed) == ([], [], 3, [])
    again = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(FULL_HEADER + FULL_ROWS)
    )
    assert (again.created, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("existing", [False, True], ids=["first import", "re-import"])
def test_an_import_stopped_while_writing_writes_nothing(cast, dataset, monkeypatch, existing):
    """A job cancelled (or failing) after some batches were written rolls every one of them back."""
    monkeypatch.setattr("catalogue.importers.dictionary.BATCH_SIZE", 2)
    if existing:
        VariableFactory(dataset=dataset, name="old")
    text = HEADER + "".join(f"v{n},V{n},text,,,,HGNC:NPM1\n" for n in range(7))

    def progress(phase: str, count: int) -> None:
        if phase == "writing" and count >= 4:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text), progress=progress)
    assert list(dataset.variables.values_list("name", flat=True)) == (["old"] if existing else [])
    assert not Variable.concepts.through.objects.exists()
    assert not SearchChange.objects.filter(dataset_id=dataset.pk).exists()


@pytest.mark.django_db
def test_a_dataset_emptied_between_validation_and_write_gets_a_complete_first_import(cast, dataset):
    """Validated while the dataset had variables, written as a first import: every row and link is there."""
    VariableFactory(dataset=dataset, name="old")

    def progress(phase: str, count: int) -> None:
        if phase == "writing" and count == 0:  # before the write transaction: another import removed them
            Variable.objects.filter(dataset=dataset).delete()

    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(FULL_HEADER + FULL_ROWS), progress=progress
    )
    assert (result.created, result.updated, result.unchanged, result.removed) == (3, 0, 0, 0)
    assert list(dataset.variables.values_list("name", flat=True)) == ["flt3", "hb", "note"]
    flt3 = Variable.objects.get(name="flt3")
    assert sorted(c.code for c in flt3.concepts.all()) == ["C3171", "FLT3"]
    assert [c.code for c in Variable.objects.get(name="hb").concepts.all()] == ["718-7"]


@pytest.mark.django_db
@pytest.mark.parametrize("stop", ["error in a late row", "stopped while validating"])
def test_a_first_import_stopped_after_batches_were_written_writes_nothing(cast, dataset, monkeypatch, stop):
    """A first import on PostgreSQL writes batches while it validates: an error after them (or a job
    cancelled meanwhile) rolls every one back, concepts included; on SQLite nothing was written yet."""
    monkeypatch.setattr("catalogue.importers.dictionary.BATCH_SIZE", 2)
    rows = "".join(f"v{n},V{n},text,,,,HGNC:NPM1; LOINC:718-7\n" for n in range(7))
    late = "late,Late,nonsense,,,,\n" if stop == "error in a late row" else ""

    def progress(phase: str, count: int) -> None:
        if stop == "stopped while validating" and phase == "validating" and count >= 6:
            raise RuntimeError("stopped")

    if late:
        result = import_data_dictionary(
            actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(HEADER + rows + late), progress=progress
        )
        assert [(error.row, error.column) for error in result.errors] == [(9, "value_type")]
        assert result.created == 0
    else:
        monkeypatch.setattr("catalogue.importers.dictionary.PROGRESS_EVERY", 1)
        with pytest.raises(RuntimeError, match="stopped"):
            import_data_dictionary(
                actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(HEADER + rows), progress=progress
            )
    assert not dataset.variables.exists()
    assert not Variable.concepts.through.objects.exists()
    assert not Concept.objects.filter(code__in=["NPM1", "718-7"]).exists()
    assert not SearchChange.objects.filter(dataset_id=dataset.pk).exists()
