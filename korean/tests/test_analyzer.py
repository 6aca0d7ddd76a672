"""The site's analyzer on member-style text: the committed sentence set (data/sentences.tsv)."""

import importlib.util
from pathlib import Path

from korean.analyzer import is_loaded, site_analyzer

ROOT = Path(__file__).resolve().parents[2]


def test_irregular_stems_and_breed_names_come_out_whole():
    forms = {(m.form, m.tag) for m in site_analyzer().morphemes("말티즈랑 추웠어요 불렀어요 예뻐요")}

    assert {("말티즈", "NNG"), ("춥", "VA"), ("부르", "VV"), ("예쁘", "VA")} <= forms
    assert is_loaded()


def test_the_site_analysis_passes_the_sentence_set(db):
    """Every query a sentence names must find it (or not) as a whole word, stem, compound part or
    synonym; the analyzer comparison in bench/README.md measured these same checks."""
    spec = importlib.util.spec_from_file_location("korean_analyzers", ROOT / "bench" / "korean_analyzers.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from search import korean

    rows = bench.read_sentences()
    checks = [
        (korean.best_level(korean.parse_query(query), korean.index_terms(sentence)), wanted)
        for sentence, must, must_not in rows
        for query, wanted in [(q, True) for q in must] + [(q, False) for q in must_not]
    ]
    right = sum((level is not None and level <= korean.PART) == wanted for level, wanted in checks)

    assert len(rows) >= 200
    assert right / len(checks) >= 0.98
