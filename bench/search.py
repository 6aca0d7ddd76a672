"""Search latency at 100,000 posts: Korean-aware search vs a plain `icontains` scan.

    .venv/bin/python bench/search.py                      # SQLite and PostgreSQL, 100,000 posts
    .venv/bin/python bench/search.py --posts 20000 --databases sqlite

For each database the script runs itself in a child process (Django settings are fixed per
process): it loads the Korean analyzer (seconds and resident memory it adds are printed), builds a
fresh database (SQLite file under var/, PostgreSQL database `petrasche_bench_search` on
127.0.0.1:5432), generates Korean posts from a word list with particles, endings, breed names,
compounds written together and apart, and hashtags, indexes them through the search backend
(posts/s printed), then times the mixed query set (words, particles, endings, spacing, 초성 words
and phrases, hashtags, synonyms, several terms, English) through the same selector the search page
uses — one type's ranked page of 20, and the all-types page (5 of each type) — against a plain
`text__icontains` scan of the same posts in the same run. Prints p50/p95 per side and the ratio.
Target: p95 ≤ 50 ms on PostgreSQL for the one-type page.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "petrasche_bench_search"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

NOUNS = [
    "강아지",
    "고양이",
    "산책",
    "간식",
    "공원",
    "한강",
    "미용",
    "병원",
    "장난감",
    "목줄",
    "사료",
    "친구",
    "주말",
    "아침",
    "저녁",
    "카페",
    "바다",
    "놀이터",
    "댕댕이",
    "멍멍이",
    "말티즈",
    "포메라니안",
    "비글",
    "푸들",
    "애견카페",
    "털",
    "발바닥",
    "꼬리",
    "하네스",
]
PARTICLES = ["", "", "를", "을", "가", "이", "의", "와", "랑", "에서", "도", "는", "은"]
PREFIXES = ["", "", "", "우리", "동네", "옆집", "새"]
VERBS = [
    "다녀왔어요",
    "좋아해요",
    "만났어요",
    "샀어요",
    "했어요",
    "갔어요",
    "놀았어요",
    "먹었어요",
    "예뻐요",
    "귀여워요",
    "추웠어요",
]
ENGLISH = ["walk", "walking", "dog", "puppy", "park", "treats", "happy", "weekend"]
TAGS = ["산책", "강아지", "댕댕이", "고양이", "간식", "한강", "공원", "공원을", "주말", "walk", "doglife"]
QUERIES = [
    "강아지",
    "산책",
    "강아지를",
    "우리강아지",
    "ㄱㅇㅈ",
    "ㅅㅊ",
    "ㅇㅈ",
    "강아지 ㅅㅊ",
    "#산책",
    "#한강",
    "#산책 강아지",
    "walk",
    "walks",
    "dog 공원",
    "간식 ㄱㅇㅈ",
    "하네스",
    "발바닥",
    "ㄲㄹ",
    "옆집 고양이",
    "카페",
    "말티즈랑",
    "산책했어요",
    "예쁜",
    "애견 카페",
    "ㅇㄱㅋㅍ",
    "beagle",
    "포메",
    "#공원",
    "ㅁㅌㅈ",
    "개",
]


def sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(4, 9)):
        if rng.random() < 0.1:
            words.append(rng.choice(ENGLISH))
        elif rng.random() < 0.15:
            words.append(rng.choice(NOUNS) + rng.choice(NOUNS))  # compound: 강아지산책
        elif rng.random() < 0.05:
            words.append("애견 카페" + rng.choice(PARTICLES))  # a compound written apart
        else:
            words.append(rng.choice(PREFIXES) + rng.choice(NOUNS) + rng.choice(PARTICLES))
    words.append(rng.choice(VERBS))
    tags = " ".join(f"#{tag}" for tag in rng.sample(TAGS, rng.randint(0, 2)))
    return f"{' '.join(words)} {tags}".strip()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(posts: int) -> tuple[float, float]:
    """Generates and indexes the posts; returns the seconds each part took."""
    from django.db import connection
    from django.utils import timezone
    from wagtail.search.backends import get_search_backend

    from accounts.models import User
    from community.models import Hashtag, Post
    from community.text import extract_hashtags

    rng = random.Random(2026)  # noqa: S311 - generated benchmark text
    members = User.objects.bulk_create(
        [User(username=f"bench{n}", nickname=f"반려인{n}") for n in range(200)]
    )
    started = time.perf_counter()
    now = timezone.now()
    texts = [sentence(rng) for _ in range(posts)]
    batch = 5000
    for offset in range(0, posts, batch):
        Post.objects.bulk_create(
            Post(
                author=rng.choice(members), text=text, created_at=now - timezone.timedelta(minutes=offset + i)
            )
            for i, text in enumerate(texts[offset : offset + batch])
        )
    tags = {name: Hashtag.objects.create(name=name) for name in TAGS}
    through = Post.hashtags.through
    rows = []
    for pk, text in Post.objects.values_list("pk", "text").iterator():
        rows.extend(
            through(post_id=pk, hashtag_id=tags[name].pk) for name in extract_hashtags(text) if name in tags
        )
    through.objects.bulk_create(rows, batch_size=10000)
    seeded = time.perf_counter() - started

    started = time.perf_counter()
    backend = get_search_backend("default")
    index = backend.get_index_for_model(Post)
    index.add_model(Post)
    for offset in range(0, posts, batch):
        index.add_items(Post, list(Post.objects.order_by("pk")[offset : offset + batch]))
    indexed = time.perf_counter() - started
    # Fresh planner statistics, as after any bulk import (SQLite otherwise joins the full-text
    # table row by row; PostgreSQL's autovacuum would get there on its own, later).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return seeded, indexed


def resident_mb() -> float:
    """This process's resident memory (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_child(database: str, posts: int, repeats: int, reuse: bool) -> dict:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "site_core.settings.dev"
    os.environ["DEBUG"] = "0"
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from community.models import Post
    from search.korean import parse_query
    from search.registry import search_types
    from search.selectors import search_type_page

    settings.DEBUG = False
    from korean.analyzer import site_analyzer
    from search.selectors import site_search

    before_mb, started = resident_mb(), time.perf_counter()
    site_analyzer()
    analyzer_load_s, analyzer_mb = time.perf_counter() - started, resident_mb() - before_mb
    call_command("migrate", verbosity=0)
    if reuse and Post.objects.count() == posts:
        seeded = indexed = 0.0
    else:
        seeded, indexed = seed(posts)
    viewer = AnonymousUser()

    def ours(raw: str):
        page = search_type_page(
            viewer=viewer, search_type=search_types()["posts"], query=parse_query(raw), page=1, page_size=20
        )
        return f"{page.total}+" if page.total_capped else page.total

    def scan(raw: str):
        posts_qs = Post.objects.filter(deleted_at__isnull=True, is_hidden=False)
        for word in raw.split():
            posts_qs = posts_qs.filter(text__icontains=word)
        return len(list(posts_qs.select_related("author").order_by("-created_at")[:20]))

    def all_types(raw: str):
        return [page.total for page in site_search(viewer=viewer, raw_query=raw, page_size=5).pages]

    timings = {"ours": [], "scan": [], "all": []}
    hits = {}
    for raw in QUERIES:
        hits[raw] = ours(raw)
        scan(raw)
        all_types(raw)
        for _ in range(repeats):
            for name, function in (("ours", ours), ("scan", scan), ("all", all_types)):
                begin = time.perf_counter()
                function(raw)
                timings[name].append((time.perf_counter() - begin) * 1000)
    return {
        "database": connection.vendor,
        "posts": posts,
        "seed_s": round(seeded, 1),
        "index_s": round(indexed, 1),
        "posts_per_s": round(posts / indexed) if indexed else None,
        "analyzer_load_s": round(analyzer_load_s, 2),
        "analyzer_mb": round(analyzer_mb),
        "rss_mb": round(resident_mb()),
        "hits": hits,
        **{
            f"{name}_{stat}": round(value, 2)
            for name, values in timings.items()
            for stat, value in (("p50", statistics.median(values)), ("p95", percentile(values, 0.95)))
        },
    }


def prepare(database: str, reuse: bool) -> dict:
    env = {**os.environ}
    env.pop("REDIS_URL", None)
    env.pop("SEARCH_URL", None)
    if database == "sqlite":
        path = ROOT / "var" / "bench-search.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone()
            if not (reuse and exists):
                admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
                admin.execute(f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the databases afterwards (for --reuse-db)"
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse databases a --keep-db run left with the same number of posts (skips seeding)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(run_child(args.child, args.posts, args.repeats, args.reuse_db), ensure_ascii=False))
        return
    results = []
    for database in args.databases.split(","):
        env = prepare(database, args.reuse_db)
        child = subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--child",
                database,
                "--posts",
                str(args.posts),
                "--repeats",
                str(args.repeats),
                *(["--reuse-db"] if args.reuse_db else []),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            sys.exit(f"{database} run failed:\n{child.stderr[-4000:]}")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        if database == "postgres" and not args.keep_db:
            import psycopg

            with psycopg.connect(
                PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
            ) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
    print(f"Search benchmark: {len(QUERIES)} queries × {args.repeats} runs, {args.posts:,} posts")
    print(
        f"{'database':<11}{'seed s':>8}{'index s':>9}{'posts/s':>9}{'ours p50':>10}{'ours p95':>10}"
        f"{'all p50':>9}{'all p95':>9}{'scan p50':>10}{'scan p95':>10}{'p95 ratio':>11}"
    )
    for r in results:
        ratio = r["scan_p95"] / r["ours_p95"] if r["ours_p95"] else float("inf")
        print(
            f"{r['database']:<11}{r['seed_s']:>8}{r['index_s']:>9}{r['posts_per_s'] or '-':>9}"
            f"{r['ours_p50']:>10}{r['ours_p95']:>10}{r['all_p50']:>9}{r['all_p95']:>9}"
            f"{r['scan_p50']:>10}{r['scan_p95']:>10}{ratio:>10.1f}x"
        )
        print(
            f"  Korean analyzer: loaded in {r['analyzer_load_s']} s, +{r['analyzer_mb']} MB resident"
            f" (process {r['rss_mb']} MB at the end)"
        )
        if r["database"] == "postgresql":
            verdict = "met" if r["ours_p95"] <= 50 and r["ours_p95"] < r["scan_p95"] else "NOT met"
            print(f"  target (p95 ≤ 50 ms on PostgreSQL and faster than the scan): {verdict}")
    print("hits per query (first database):", json.dumps(results[0]["hits"], ensure_ascii=False))


if __name__ == "__main__":
    main()
