"""Bad programmes are refused whole, each problem in Italian and pointing at the line to fix.

Every case copies the real programme into a temporary folder and breaks one thing in it, so
each fixture is one edit. Positions are computed from the edited file, never hard-coded.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from programma_site import loader
from programma_site.defaults import SCHEMA
from programma_site.loader import load
from programma_site.problems import InvalidProgramme, Problem

from .agreement import programme_files, verdicts
from .badinput import CULTURA, PROGRAMMA, ROOT, VALORI, assert_problem, edit, only_problem, position, problems

ANCHE_PER = "anche_per: [bambini-giovani]\n    valori: [futuro, inclusione"


@pytest.fixture(autouse=True)
def validators_agree(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each case, the compiled fast path and jsonschema give every file of it the same verdict."""
    copy = request.getfixturevalue("tmp_path") / "programma" if "folder" in request.fixturenames else None
    yield
    if copy is not None:
        for path in programme_files(copy):
            found = verdicts(path, copy / "schema") if path.is_file() else None
            assert found is None or found[0] == found[1], f"{path.name}: fast path {found[0]}, jsonschema {found[1]}"


# YAML itself


def test_yaml_syntax_error(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome: Cultura: arte e storia")
    message = "sintassi YAML non valida: «:» inatteso: se il testo contiene «: », mettilo tra virgolette"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, ": arte"), message)


def test_unclosed_quote_at_the_end_of_a_file(folder: Path) -> None:
    with VALORI.open("a", encoding="utf-8") as file:
        file.write('nota: "aperta\n')
    message = "sintassi YAML non valida: il file finisce prima di chiudere le virgolette o le parentesi aperte"
    end = (position(VALORI, '"aperta')[0] + 1, 1)  # libyaml marks where the file ends, not where the quote opens
    assert_problem(only_problem(folder), VALORI, end, message)


@pytest.mark.parametrize("indent", ["\t", "  \t"], ids=["tab", "spaces-then-tab"])
def test_tab_indentation(folder: Path, indent: str) -> None:
    edit(CULTURA, "    numero: 3\n", f"{indent}numero: 3\n")
    message = "rientro con il tasto Tab: in YAML si rientra solo con gli spazi"
    line, column = position(CULTURA, f"{indent}numero: 3")
    assert_problem(only_problem(folder), CULTURA, (line, column + len(indent) - 1), message)


def test_tab_indentation_everywhere_is_reported_ten_times(folder: Path) -> None:
    """Each position is counted from the start of the file: reporting all of 80,000 such lines took 16 s."""
    VALORI.write_text("valori:\n" + "\t- slug: futuro\n" * 2000, "utf-8")
    found = problems(folder)
    assert [(problem.line, problem.column) for problem in found] == [(line, 1) for line in range(2, 12)]


def test_duplicate_key(folder: Path) -> None:
    edit(CULTURA, 'etichetta: "Cultura"\n', 'etichetta: "Cultura"\nnome: "Arte"\n')
    message = "la chiave «nome» è ripetuta: ogni campo va scritto una volta sola"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, 'nome: "Arte"'), message)


def test_empty_file(folder: Path) -> None:
    VALORI.write_text("# yaml-language-server: $schema=schema/valori.schema.json\n", "utf-8")
    message = "il file è vuoto: deve contenere i campi descritti nello schema"
    assert_problem(only_problem(folder), VALORI, (1, 1), message)


def test_zero_byte_file(folder: Path) -> None:
    VALORI.write_bytes(b"")
    assert only_problem(folder).message == "il file è vuoto: deve contenere i campi descritti nello schema"


def test_missing_file(folder: Path) -> None:
    PROGRAMMA.unlink()
    message = "file mancante: ogni programma ha programma.yaml, valori.yaml e la cartella stakeholder/"
    assert_problem(only_problem(folder), PROGRAMMA, (1, 1), message)


# Encoding


def test_file_not_in_utf8(folder: Path) -> None:
    text = CULTURA.read_text("utf-8")
    first = next(index for index, char in enumerate(text) if not char.isascii())
    CULTURA.write_bytes(text.encode("latin-1"))
    line = text.count("\n", 0, first) + 1
    column = first - text.rfind("\n", 0, first)
    message = f"il file non è in UTF-8 (byte 0x{ord(text[first]):02X}): salvalo con la codifica UTF-8"
    assert_problem(only_problem(folder), CULTURA, (line, column), message)
    assert text[first] == "à" and line > 1 and column > 1


def test_utf8_byte_order_mark_is_accepted(folder: Path) -> None:
    original = load(folder)
    CULTURA.write_bytes(CULTURA.read_text("utf-8").encode("utf-8-sig"))
    assert CULTURA.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load(folder) == original


# Schema: fields and types


def test_unknown_key_hints_the_right_one(folder: Path) -> None:
    edit(CULTURA, "    testo: >-\n      Organizzazione", "    tetso: >-\n      Organizzazione")
    problem = only_problem(folder)  # no second "manca il campo «testo»" for the same slip
    message = "campo sconosciuto «tetso»: forse intendevi «testo»?"
    assert_problem(problem, CULTURA, position(CULTURA, "tetso:"), message, "azioni[2].tetso")
    assert str(problem) == f"{CULTURA.as_posix()}:{problem.line}:5: azioni[2].tetso: {message}"


def test_text_where_a_number_is_expected(folder: Path) -> None:
    edit(CULTURA, "numero: 3\n", 'numero: "tre"\n')
    message = "serve un numero intero, trovato un testo («tre»)"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, '"tre"'), message, "azioni[2].numero")


def test_list_where_a_text_is_expected(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome: [Cultura, Arte]")
    message = "serve un testo, trovato un elenco (voci che iniziano con «- »)"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "[Cultura, Arte]"), message, "nome")


@pytest.mark.parametrize("plain", ["no", "si", "yes", "off", "12:30", "2024-05-01", "1.5", "1e3", "0x1F"])
def test_plain_scalars_stay_text_exactly_as_written(folder: Path, plain: str) -> None:
    edit(PROGRAMMA, 'titolo: "Valenza Futura: un futuro insieme"', f"titolo: {plain}")
    title = load(folder).title
    assert isinstance(title, str)
    assert title == plain


@pytest.mark.parametrize("plain", ["12:30", "2024-05-01", "no", "1.5"])
def test_plain_scalars_where_a_number_is_expected_are_refused(folder: Path, plain: str) -> None:
    edit(CULTURA, "numero: 3\n", f"numero: {plain}\n")
    message = f"serve un numero intero, trovato un testo («{plain}»)"
    at = position(CULTURA, f"{plain}\n    testo: >-\n      Organizzazione")
    assert_problem(only_problem(folder), CULTURA, at, message, "azioni[2].numero")


@pytest.mark.parametrize("empty", ['""', '"   "', "' \t '"], ids=["empty", "spaces", "blanks"])
def test_empty_or_blank_text(folder: Path, empty: str) -> None:
    edit(CULTURA, 'nome: "Cultura"', f"nome: {empty}")
    message = "il testo è vuoto: scrivi il testo o togli il campo"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, empty), message, "nome")


def test_field_with_no_value(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome:")
    line, column = position(CULTURA, "nome:\n")
    assert_problem(only_problem(folder), CULTURA, (line, column + 5), "il campo è vuoto: serve un testo", "nome")


def test_missing_required_field(folder: Path) -> None:
    edit(CULTURA, "    valori: [creativita, resilienza]\n", "")
    message = "manca il campo obbligatorio «valori»"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "id: cultura-02"), message, "azioni[1]")


def test_missing_top_level_field(folder: Path) -> None:
    edit(CULTURA, 'etichetta: "Cultura"\n', "")
    assert_problem(only_problem(folder), CULTURA, (2, 1), "manca il campo obbligatorio «etichetta»")


# Checks across files


def test_unknown_stakeholder_hints_the_closest_slug(folder: Path) -> None:
    edit(CULTURA, ANCHE_PER, ANCHE_PER.replace("bambini-giovani", "bambini-giovan"))
    message = "stakeholder sconosciuto «bambini-giovan»: forse intendevi «bambini-giovani»?"
    where = "azioni[6].anche_per[0]"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "bambini-giovan]"), message, where)


@pytest.mark.parametrize("slug", ["valori", "programma"])
def test_other_files_are_not_stakeholders(folder: Path, slug: str) -> None:
    edit(CULTURA, ANCHE_PER, ANCHE_PER.replace("bambini-giovani", slug))
    problem = only_problem(folder)
    assert problem.message.startswith(f"stakeholder sconosciuto «{slug}»; quelli esistenti sono: ambiente-salute, ")
    assert problem.message.endswith(", under-30")
    assert (problem.line, problem.column) == position(CULTURA, f"{slug}]")


def test_unknown_value(folder: Path) -> None:
    edit(CULTURA, "valori: [creativita, resilienza]", "valori: [creativita, resilienze]")
    message = "valore sconosciuto «resilienze»: forse intendevi «resilienza»?"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "resilienze"), message, "azioni[1].valori[1]")


def test_self_reference(folder: Path) -> None:
    edit(CULTURA, ANCHE_PER, ANCHE_PER.replace("bambini-giovani", "cultura"))
    message = "l'azione è già di «cultura»: in anche_per vanno solo gli altri stakeholder"
    where = "azioni[6].anche_per[0]"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "cultura]"), message, where)


def test_same_action_id_in_two_files_names_the_first(folder: Path) -> None:
    second = Path("programma/stakeholder/dipendenti-comunali.yaml")
    edit(second, "id: dipendenti-comunali-02", "id: cultura-02")
    line, column = position(CULTURA, "cultura-02")
    message = (
        f"l'identificativo «cultura-02» è già usato in {CULTURA.as_posix()}:{line}:{column}: ognuno deve essere unico"
    )
    assert_problem(only_problem(folder), second, position(second, "cultura-02"), message, "azioni[1].id")


@pytest.mark.parametrize(("number", "expected"), [(9, 8), (7, 8)], ids=["gap", "repeat"])
def test_numbering_out_of_sequence_without_a_note(folder: Path, number: int, expected: int) -> None:
    edit(CULTURA, "numero: 8\n", f"numero: {number}\n")
    message = f"numero {number} fuori sequenza (ci si aspetta {expected}): correggilo, o aggiungi una nota che spieghi la numerazione pubblicata"
    at = position(CULTURA, f"{number}\n    testo: >-\n      Riconoscimenti")
    assert_problem(only_problem(folder), CULTURA, at, message, "azioni[7].numero")


@pytest.mark.parametrize("number", [9, 7], ids=["gap", "repeat"])
def test_numbering_out_of_sequence_with_a_note_is_accepted(folder: Path, number: int) -> None:
    note = f"Nel programma pubblicato questa azione ha il numero {number}."
    edit(CULTURA, "numero: 8\n", f"numero: {number}\n    nota: {note}\n")
    last = load(folder).by_stakeholder["cultura"].actions[-1]
    assert (last.id, last.number, last.note) == ("cultura-08", number, note)


def test_file_name_differs_from_slug(folder: Path) -> None:
    edit(CULTURA, "slug: cultura\n", "slug: culture\n")
    message = (
        "lo slug «culture» deve essere uguale al nome del file: rinomina il file in «culture.yaml» o scrivi «cultura»"
    )
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "culture\n"), message, "slug")


# Hostile input


def test_python_object_tag_is_refused_and_never_run(folder: Path, tmp_path: Path) -> None:
    sentinel = tmp_path / "eseguito"
    edit(CULTURA, 'nome: "Cultura"', f'nome: !!python/object/apply:os.system ["touch {sentinel}"]')
    message = "il tag YAML «!!python/object/apply:os.system» non è ammesso: togli il tag e scrivi il valore semplice"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "!!python"), message)
    assert not sentinel.exists()


def billion_laughs(levels: int = 10) -> str:
    lines = ["# yaml-language-server: $schema=schema/valori.schema.json", 'a0: &a0 ["lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    VALORI.write_text(billion_laughs(), "utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        problem = only_problem(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with capsys.disabled():
        print(f"\n  billion laughs refused in {time.perf_counter() - started:.3f} s, peak {peak / 1e6:.1f} MB")
    message = "alias e ancore YAML (& e *) non sono ammessi: scrivi il testo per intero"
    assert_problem(problem, VALORI, position(VALORI, "&a0 "), message)  # the anchored value its first alias repeats
    assert peak < 20_000_000  # 4 x 9**9 expanded strings would need tens of gigabytes


def huge_stakeholder(actions: int, text: str) -> str:
    head = (ROOT / CULTURA).read_text("utf-8").split("azioni:\n")[0]
    rows = (
        f'  - id: cultura-{number:05d}\n    numero: {number}\n    testo: "{text}"\n'
        f"    anche_per: [bambini-giovani]\n    valori: [creativita, futuro]\n"
        for number in range(1, actions + 1)
    )
    return head + "azioni:\n" + "".join(rows)


def test_ten_megabyte_file_is_handled(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(["Sostegno alla candidatura Unesco di Valenza Città creativa, con attività e laboratori."] * 22)
    CULTURA.write_text(huge_stakeholder(5000, text), "utf-8")
    size = CULTURA.stat().st_size
    started = time.perf_counter()
    loaded = load(folder)
    with capsys.disabled():
        print(f"\n  {size / 1e6:.1f} MB stakeholder file loaded in {time.perf_counter() - started:.2f} s")
    assert size >= 10_000_000
    assert len(loaded.by_stakeholder["cultura"].actions) == 5000
    assert len(loaded.actions) == 84 - 8 + 5000
    assert {action.text for action in loaded.by_stakeholder["cultura"].actions} == {text}


def test_html_in_a_text_is_kept_verbatim(folder: Path) -> None:
    edit(
        CULTURA,
        "testo: >-\n      Sostegno alla candidatura Unesco di Valenza Città creativa",
        'testo: "<script>alert(1)</script>"',
    )
    assert load(folder).by_stakeholder["cultura"].actions[3].text == "<script>alert(1)</script>"


def test_the_schema_states_the_plain_text_rule() -> None:
    schema = json.loads((SCHEMA / "testo.schema.json").read_text("utf-8"))
    assert "né come Markdown né come HTML" in schema["description"]
    assert "un tag come <script> viene mostrato come testo e non viene mai eseguito" in schema["description"]


# Reporting


def test_every_problem_in_every_file_reported_together_sorted(folder: Path) -> None:
    edit(VALORI, "  - slug: futuro\n", "  - slug: futuro\n    colore: rosso\n")
    edit(CULTURA, "numero: 8\n", 'numero: "otto"\n')
    edit(CULTURA, 'nome: "Cultura"', 'nome: ""')
    edit(PROGRAMMA, 'periodo: "2020-2025"', "periodo: 2020")
    edit(Path("programma/stakeholder/bellezza.yaml"), "anche_per: [cultura]", "anche_per: [cultur]")
    found = problems(folder)
    expected = [
        (PROGRAMMA, position(PROGRAMMA, "2020\n")),
        (Path("programma/stakeholder/bellezza.yaml"), position(Path("programma/stakeholder/bellezza.yaml"), "cultur]")),
        (CULTURA, position(CULTURA, '""')),
        (CULTURA, position(CULTURA, '"otto"')),
        (VALORI, position(VALORI, "colore")),
    ]
    assert [(Path(p.file), (p.line, p.column)) for p in found] == expected


def test_thousands_of_problems_in_one_file_each_at_its_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Locating each problem once scanned every key of its mapping: 20,000 unknown keys took 3.4 s."""
    lines = len(VALORI.read_text("utf-8").splitlines())
    with VALORI.open("a", encoding="utf-8") as file:
        file.writelines(f"campo{index}: 1\n" for index in range(20_000))
    started = time.perf_counter()
    found = problems(folder)
    with capsys.disabled():
        print(f"\n  20,000 unknown keys reported in {time.perf_counter() - started:.2f} s")
    assert [(problem.line, problem.where) for problem in found] == [(lines + 1 + n, f"campo{n}") for n in range(20_000)]


def test_a_programme_loads_or_raises_never_half(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No model is even started from a programme with a problem, so none can leak out half-built."""
    built: list[object] = []
    monkeypatch.setattr(loader, "build", lambda *data: built.append(data))
    edit(CULTURA, "numero: 8\n", "numero: 9\n")
    with pytest.raises(InvalidProgramme):
        load(folder)
    assert built == []
    edit(CULTURA, "numero: 9\n", "numero: 8\n")
    load(folder)
    assert len(built) == 1  # the same load of the fixed programme does build it


# Invisible characters, written raw or as escapes


@pytest.mark.parametrize(
    "char", ["\x00", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\u2028"], ids=lambda char: f"U+{ord(char):04X}"
)
def test_raw_control_character(folder: Path, char: str) -> None:
    edit(CULTURA, 'nome: "Cultura"', f'nome: "Cul{char}tura"')
    line, column = position(CULTURA, f"{char}tura")
    message = f"il file contiene il carattere invisibile U+{ord(char):04X}, non ammesso: cancellalo"
    assert_problem(only_problem(folder), CULTURA, (line, column), message)


def test_raw_control_characters_are_all_reported_up_to_ten(folder: Path) -> None:
    text = CULTURA.read_text("utf-8")
    CULTURA.write_text(text.replace("    ", "  \x00 "), "utf-8")
    found = problems(folder)
    assert text.count("    ") > 10 and len(found) == 10
    assert [problem.line for problem in found] == [line for line, _ in positions(CULTURA, "\x00")][:10]


def positions(path: Path, fragment: str) -> list[tuple[int, int]]:
    """Line and column of every occurrence of `fragment`."""
    text, found, index = path.read_text("utf-8"), [], -1
    while (index := text.find(fragment, index + 1)) >= 0:
        found.append((text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)))
    return found


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\x07", 0x07), ("\\e", 0x1B), ("\\0", 0), ("\\r", 0x0D), ("\\u2028", 0x2028), ("\\x9b", 0x9B)],
)
def test_control_character_written_as_an_escape(folder: Path, escape: str, code: int) -> None:
    edit(CULTURA, 'nome: "Cultura"', f'nome: "Cul{escape}tura"')
    message = (
        f"il testo contiene il carattere invisibile U+{code:04X}, non ammesso "
        "(scritto con «\\» tra virgolette doppie): toglilo"
    )
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, f'"Cul{escape}'), message)


def test_every_escaped_control_character_is_reported_even_in_keys(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', 'nome: "Cul\\etura"\n"\\x07": 1')
    found = problems(folder)
    assert [(p.line, p.column) for p in found] == [position(CULTURA, '"Cul\\e'), position(CULTURA, '"\\x07"')]


def test_tab_and_newline_escapes_are_text(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', 'nome: "Cul\\ttura\\narte"')
    assert load(folder).by_stakeholder["cultura"].name == "Cul\ttura\narte"


# Values YAML can write but Python cannot hold, or nests past any recursion


def test_deep_nesting_is_refused_where_it_passes_the_limit(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome: " + "[" * 1000 + "]" * 1000)
    message = "elenchi e gruppi di campi annidati oltre 50 livelli: togli i livelli in più"
    line, column = position(CULTURA, "nome: [")
    assert_problem(only_problem(folder), CULTURA, (line, column + 6 + 49), message)  # the file itself is level 1


def test_fifty_levels_are_still_data(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome: " + "[" * 49 + "]" * 49)
    assert only_problem(folder).message.startswith("serve un testo, trovato un elenco")


def test_number_with_thousands_of_digits(folder: Path) -> None:
    edit(CULTURA, "numero: 3\n", f"numero: {'7' * 5000}\n")
    message = "il numero ha 5000 cifre: ne sono ammesse al massimo 18"
    line, column = position(CULTURA, "numero: 7777")
    assert_problem(only_problem(folder), CULTURA, (line, column + 8), message)


@pytest.mark.parametrize(
    ("tagged", "tag"), [('!!int "uno"', "int"), ('!!int "1_000"', "int"), ('!!int "٣"', "int"), ('!!bool "si"', "bool")]
)
def test_explicit_tag_on_a_value_it_does_not_fit(folder: Path, tagged: str, tag: str) -> None:
    edit(CULTURA, "numero: 3\n", f"numero: {tagged}\n")
    value = tagged.split('"')[1]
    message = f"«{value}» non va bene per il tag YAML «!!{tag}»: togli il tag e scrivi il valore semplice"
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, tagged), message)


def test_explicit_tag_on_a_value_that_fits_is_accepted(folder: Path) -> None:
    edit(CULTURA, "numero: 3\n", 'numero: !!int "3"\n')
    assert load(folder).by_stakeholder["cultura"].actions[2].number == 3


def test_unicode_escape_that_is_no_character(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', 'nome: "Cul\\ud800tura"')
    message = "sintassi YAML non valida: sequenza \\u o \\U non valida tra virgolette doppie: non è un carattere"
    assert only_problem(folder).message == message


# Data quoted in messages: one problem, one line, nothing a terminal or a code block would act on

INJECTION = '"fine\\n```\\n# Titolo @tutti ![x](https://esempio.org/x.png)"'


def test_data_quoted_in_a_message_stays_on_its_line(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', f'nome: "Cultura"\n{INJECTION}: 1')
    problem = only_problem(folder)
    assert problem.where == "fine\n```\n# Titolo @tutti ![x](https://esempio.org/x.png)"  # the data, as written
    line, column = position(CULTURA, INJECTION)
    escaped = "fine\\n\\x60\\x60\\x60\\n# Titolo @tutti ![x](https://esempio.org/x.png)"
    assert str(problem) == (
        f"{CULTURA.as_posix()}:{line}:{column}: {escaped}: campo sconosciuto «{escaped}»; i campi ammessi sono: "
        "alias, azioni, etichetta, narrativa, nome, ordine, slug"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("\x1b[2J", "\\x1b[2J"), ("a\r\nb", "a\\r\\nb"), ("\u202egnp.exe", "\\u202egnp.exe"), ("`", "\\x60")],
    ids=["escape-sequence", "line-break", "right-to-left", "backtick"],
)
def test_a_problem_escapes_what_a_terminal_would_act_on(raw: str, shown: str) -> None:
    problem = Problem(f"programma/{raw}.yaml", 1, 2, f"valore «{raw}»", f"campo.{raw}")
    assert str(problem) == f"programma/{shown}.yaml:1:2: campo.{shown}: valore «{shown}»"


def test_plain_italian_text_is_shown_as_it_is() -> None:
    message = "«Città» non va: l'azione è già di «cultura» \\ <b>&amp;</b> ~ * _"
    assert str(Problem("programma/valori.yaml", 3, 11, message)) == f"programma/valori.yaml:3:11: {message}"
