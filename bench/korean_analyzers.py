"""Kiwi vs MeCab-ko for search: accuracy on member-style text, speed and memory.

    .venv/bin/python bench/korean_analyzers.py
    .venv/bin/python bench/korean_analyzers.py --analyzers kiwi,mecab-ko --posts 5000

Each analyzer runs in a child process of its own (so its memory is measured alone) through the
whole search pipeline (search/korean.py), as the site would use it:

- accuracy: korean/tests/data/sentences.tsv, 200+ member-style sentences (spacing mistakes,
  slang, breed names, emoji, particles, endings); each names queries that must find it as a whole
  word, stem, compound part or synonym (예쁜 finds 예뻐요) and queries that must not (말 must not
  find 말티즈). A check passes when the query's best level is (or, for a must-not, is not) a
  whole word or compound part. Prints the share of checks passed and of sentences fully right;
- load: seconds to build the analyzer; RSS: resident memory the analyzer added to the process;
- indexing: posts/s through `index_document` on generated posts (bench/search.py's generator);
- query: ms per `parse_query` over the sentences' queries.
"""

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ROOT / "korean" / "tests" / "data" / "sentences.tsv"


def read_sentences() -> list[tuple[str, list[str], list[str]]]:
    rows = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, found, *rest = line.split("\t")
        missing = rest[0] if rest else ""
        rows.append((sentence, [q for q in found.split("|") if q], [q for q in missing.split("|") if q]))
    return rows


def run_child(name: str, posts: int) -> dict:
    import psutil

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.test")
    import django

    django.setup()
    from korean.analyzer import ANALYZERS, use_analyzer
    from search import korean

    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    # kiwi+dict: Kiwi with its Wikipedia proper-noun dictionary.
    analyzer = ANALYZERS["kiwi"](default_dict=True) if name == "kiwi+dict" else ANALYZERS[name]()
    analyzer.morphemes("준비")
    load_s = time.perf_counter() - started
    rss_mb = (process.memory_info().rss - before) / 1e6
    use_analyzer(analyzer)

    checks = passed = whole = 0
    failures = []
    rows = read_sentences()
    for sentence, must, must_not in rows:
        terms = korean.index_terms(sentence)
        right = True
        for query, wanted in [(q, True) for q in must] + [(q, False) for q in must_not]:
            level = korean.best_level(korean.parse_query(query), terms)
            ok = (level is not None and level <= korean.PART) == wanted
            checks += 1
            passed += ok
            right &= ok
            if not ok:
                failures.append(f"{sentence} :: {'+' if wanted else '-'}{query} (level {level})")
        whole += right

    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    bench_search = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_search)
    generated = bench_search.sentence
    rng = random.Random(2026)  # noqa: S311 - generated benchmark text
    texts = [generated(rng) for _ in range(posts)]
    started = time.perf_counter()
    for text in texts:
        korean.index_document(text)
    posts_per_s = posts / (time.perf_counter() - started)

    queries = [q for _s, must, must_not in rows for q in must + must_not]
    timings = []
    for query in queries * 3:
        begin = time.perf_counter()
        korean.parse_query(query)
        timings.append((time.perf_counter() - begin) * 1000)
    return {
        "analyzer": name,
        "version": getattr(analyzer, "version", "?"),
        "sentences": len(rows),
        "checks": checks,
        "accuracy": round(100 * passed / checks, 1),
        "sentences_right": round(100 * whole / len(rows), 1),
        "load_s": round(load_s, 2),
        "rss_mb": round(rss_mb),
        "posts_per_s": round(posts_per_s),
        "query_ms": round(statistics.mean(timings), 3),
        "failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--analyzers", default="kiwi,kiwi+dict,mecab-ko")
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(run_child(args.child, args.posts), ensure_ascii=False))
        return
    results = []
    for name in args.analyzers.split(","):
        child = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", name, "--posts", str(args.posts)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            sys.exit(f"{name} failed:\n{child.stderr[-4000:]}")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print(f"Korean analyzers on {results[0]['sentences']} sentences ({results[0]['checks']} checks)")
    print(
        f"{'analyzer':<10}{'version':>9}{'checks ok':>11}{'sentences ok':>14}{'load s':>8}"
        f"{'RSS MB':>8}{'posts/s':>9}{'ms/query':>10}"
    )
    for r in results:
        print(
            f"{r['analyzer']:<10}{r['version']:>9}{r['accuracy']:>10}%{r['sentences_right']:>13}%"
            f"{r['load_s']:>8}{r['rss_mb']:>8}{r['posts_per_s']:>9}{r['query_ms']:>10}"
        )
    if args.show_failures:
        for r in results:
            print(f"\n{r['analyzer']} misses:")
            print("\n".join(r["failures"]))


if __name__ == "__main__":
    main()
