"""Italian wording for the syntax errors that libyaml and PyYAML report."""

from __future__ import annotations

# Longest fragments first would not matter: each problem matches at most one of these.
MESSAGES = {
    "mapping values are not allowed": "«:» inatteso: se il testo contiene «: », mettilo tra virgolette",
    "could not find expected ':'": "manca «:» dopo il nome del campo",
    "did not find expected key": "rientro sbagliato: questa riga non è allineata ai campi vicini",
    "did not find expected '-' indicator": "rientro sbagliato: questa voce dell'elenco non è allineata alle altre",
    "expected <block end>": "rientro sbagliato: questa riga non è allineata ai campi vicini",
    "found character that cannot start any token": "carattere non ammesso a inizio valore: metti il testo tra virgolette",
    "that cannot start any token": "carattere non ammesso a inizio valore: metti il testo tra virgolette",
    "found unexpected end of stream": "il file finisce prima di chiudere le virgolette o le parentesi aperte",
    "found unknown escape character": "sequenza con \\ non valida tra virgolette doppie: usa \\\\ o le virgolette semplici",
    "found invalid Unicode character escape": "sequenza \\u o \\U non valida tra virgolette doppie: non è un carattere",
    "found undefined alias": "alias YAML (*) non ammesso: scrivi il testo per intero",
    "found undefined tag handle": "tag YAML non ammesso: togli il «!» e scrivi il valore semplice",
    "but found another document": "un file contiene un solo documento: togli la riga «---»",
    "found duplicate anchor": "alias e ancore YAML (& e *) non sono ammessi",
    "while scanning a quoted scalar": "virgolette aperte e mai chiuse",
    "found unexpected ':'": "«:» inatteso: se il testo contiene «: », mettilo tra virgolette",
    "expected ',' or ']'": "elenco tra [ ] non chiuso: manca «]» o una virgola",
    "expected ',' or '}'": "mappa tra { } non chiusa: manca «}» o una virgola",
    "control characters are not allowed": "il file contiene caratteri di controllo non ammessi",
}


def italian(problem: str) -> str:
    """Translate a YAML parser problem; unknown ones keep the original in brackets."""
    for fragment, message in MESSAGES.items():
        if fragment in problem:
            return f"sintassi YAML non valida: {message}"
    return f"sintassi YAML non valida ({problem})"
