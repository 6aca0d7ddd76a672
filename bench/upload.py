"""What accepting member photos costs: CPU time and memory added above the process baseline.

    .venv/bin/python bench/upload.py              # --runs N (default 5): best of N, each in a fresh process
    .venv/bin/python bench/upload.py --help

Photos (made by this script in a temporary folder; nothing is downloaded):

* ``jpeg-12mp``: a 12 MP JPEG as a phone takes it: 4000 x 3000, the scikit-image cat photo
  (``ml/tests/fixtures/skimage_chelsea.png``, CC0) enlarged with film grain, quality 90, EXIF
  orientation 6 ("rotate to show upright"), about 3.3 MB;
* ``png-25mp``: a 25 MP PNG compressed as far as PNG goes: 5000 x 5000 of one colour, zlib level 9,
  about 84 KB, the cheapest file for the most pixels;
* ``png-25mp-alpha``: the same in RGBA, half transparent: transparency is composited onto white at
  full size, the costliest kind of photo in memory;
* the finding's PNG: 6300 x 6300 of one colour (39.7 MP, about 130 KB).

Cases, each a POST to ``/posts/new/`` through Django's test client, signed in: the form, the view,
``community.services.post_create``, ``core.images`` and storage, as a member's upload goes:

* ``jpeg-12mp``, ``png-25mp``, ``png-25mp-alpha``: a post with that one photo;
* ``post-10-png``: a post with ten 25 MP PNGs;
* ``png-6300``: a post with the finding's PNG, which is refused (400 with the 25-megapixel message);
* ``2-posts-at-once``: two ``png-25mp`` posts sent from two threads at the same moment, with
  ``UPLOAD_DECODE_CONCURRENCY`` as this shell sets it (default 1): their decodes take turns, so the
  peak stays that of one photo.

How: a throwaway PostgreSQL database (``--db-url``, default ``petrasche_bench_upload`` on
127.0.0.1; dropped, created and migrated by the script, dropped at the end) and a scratch ``MEDIA_ROOT``
serve fresh Python processes (``site_core.settings.dev``, no Redis), one per case and run. PostgreSQL
rather than SQLite because SQLite takes the write lock when a transaction begins, which would make
two posts take turns whatever the decode slots do. Each signs in a new member and posts one small photo to warm up (imports, templates,
codecs), encodes the case's request body, collects garbage, reads its resident memory (VmRSS) as the
baseline and resets the kernel's peak counter (``/proc/self/clear_refs``); then it sends the request
and reads the CPU time the process used (``time.process_time``: every thread) and its peak resident
memory (VmHWM) minus the baseline. It checks the answer: a redirect to the new post and the stored
sizes (full 2048 px, display 1080 px on the longer side, a 400 x 400 thumbnail), or the refusal naming
the limit; the script exits 1 after the report when an answer was not the expected one.

CPU time is per process, so other work on the machine slows a run without adding to its figure;
the best of ``--runs`` is reported (and the worst, to show the spread), with the machine's other load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, bench/ is first on sys.path, where bench/chat.py would hide the chat app.
sys.path[:] = [str(REPO), *(p for p in sys.path if Path(p or ".").resolve() not in {REPO, REPO / "bench"})]

from bench.common import (  # noqa: E402
    add_db_url_option,
    database_exists,
    drop_database,
    machine,
    machine_busy_seconds,
    recreate_database,
    require_bench_database,
)

SOURCE_PHOTO = REPO / "ml" / "tests" / "fixtures" / "skimage_chelsea.png"
PHOTOS = {
    "jpeg-12mp": "jpeg-12mp.jpg",
    "png-25mp": "png-25mp.png",
    "png-25mp-alpha": "png-25mp-alpha.png",
    "png-6300": "png-6300.png",
}
CASES = {
    # case: (photo, photos per post, posts sent at once, accepted?)
    "jpeg-12mp": ("jpeg-12mp", 1, 1, True),
    "png-25mp": ("png-25mp", 1, 1, True),
    "png-25mp-alpha": ("png-25mp-alpha", 1, 1, True),
    "post-10-png": ("png-25mp", 10, 1, True),
    "png-6300": ("png-6300", 1, 1, False),
    "2-posts-at-once": ("png-25mp", 1, 2, True),
}
GOALS = {"jpeg-12mp": (0.5, 150), "png-25mp": (1.2, 300), "png-25mp-alpha": (1.2, 300)}  # CPU s, MiB added
POST_PEAK_GOAL = 1.2  # the ten-PNG post's peak at most one PNG post's + 20 %


# ---------------------------------------------------------------------------------------------
# The parent: photos, database, fresh processes, report.


def make_photos(folder: Path) -> None:
    import numpy as np
    from PIL import Image

    with Image.open(SOURCE_PHOTO) as source:
        large = source.convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
    grain = np.random.default_rng(14).normal(0, 6, (3000, 4000, 1))
    pixels = np.clip(np.asarray(large, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(pixels).save(folder / PHOTOS["jpeg-12mp"], quality=90, exif=exif.tobytes())
    Image.new("RGB", (5000, 5000), (200, 150, 90)).save(folder / PHOTOS["png-25mp"], compress_level=9)
    Image.new("RGBA", (5000, 5000), (200, 150, 90, 128)).save(
        folder / PHOTOS["png-25mp-alpha"], compress_level=9
    )
    Image.new("RGB", (6300, 6300), (200, 150, 90)).save(folder / PHOTOS["png-6300"], compress_level=9)


def child_environment(folder: Path, db_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "SEARCH_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "site_core.settings.dev",
            "DATABASE_URL": db_url,
            "MEDIA_ROOT": str(folder / "media"),
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def run_case(case: str, folder: Path, env: dict[str, str]) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, __file__, "--child", case, "--folder", str(folder)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{case} failed:\n{result.stdout}\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(results: dict[str, list[dict]]) -> None:
    print(
        f"\n{'case':<17} {'answer':<9} {'CPU s best':>10} {'worst':>7} {'MiB added best':>15} {'worst':>7}  goal"
    )
    best = {}
    for case, rows in results.items():
        cpu = [r["cpu_s"] for r in rows]
        mib = [r["peak_mib"] for r in rows]
        best[case] = (min(cpu), min(mib))
        goal = ""
        if case in GOALS:
            cpu_goal, mib_goal = GOALS[case]
            met = min(cpu) <= cpu_goal and min(mib) <= mib_goal
            goal = f"<= {cpu_goal} s, <= +{mib_goal} MiB: {'met' if met else 'NOT met'}"
        print(
            f"{case:<17} {rows[0]['answer']:<9} {min(cpu):>10.3f} {max(cpu):>7.3f} "
            f"{min(mib):>15.0f} {max(mib):>7.0f}  {goal}"
        )
    if "post-10-png" in best and "png-25mp" in best:
        ratio = best["post-10-png"][1] / best["png-25mp"][1]
        verdict = "met" if ratio <= POST_PEAK_GOAL else "NOT met"
        print(
            f"\nten-PNG post's peak / one-PNG post's: {ratio:.2f} "
            f"(goal <= {POST_PEAK_GOAL:.2f}: {verdict}); per photo {best['post-10-png'][0] / 10:.3f} s CPU"
        )
    if "2-posts-at-once" in best and "png-25mp" in best:
        slots = results["2-posts-at-once"][0]["decode_slots"]
        print(
            f"two posts at once with UPLOAD_DECODE_CONCURRENCY={slots}: peak "
            f"{best['2-posts-at-once'][1] / best['png-25mp'][1]:.2f} x one post's"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per case; the best is reported")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    add_db_url_option(
        parser,
        env_var="BENCH_UPLOAD_DB_URL",
        default="postgres://postgres@127.0.0.1:5432/petrasche_bench_upload",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database for --reuse-db")
    parser.add_argument("--reuse-db", action="store_true", help="use the kept database as it is")
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.folder)))
        return

    require_bench_database(parser, args.db_url)
    print(machine())
    with tempfile.TemporaryDirectory(prefix="petrasche-bench-upload-") as name:
        folder = Path(name)
        make_photos(folder)
        for photo, file_name in PHOTOS.items():
            print(f"{photo}: {(folder / file_name).stat().st_size / 1024:,.0f} KiB")
        env = child_environment(folder, args.db_url)
        try:
            if not (args.reuse_db and database_exists(args.db_url)):
                recreate_database(args.db_url)
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                    cwd=REPO,
                    env=env,
                    check=True,
                )
                print(f"throwaway database migrated in {time.perf_counter() - started:.0f} s")
            results: dict[str, list[dict]] = {case: [] for case in args.cases}
            busy_before, wall_before = machine_busy_seconds(), time.perf_counter()
            for _ in range(args.runs):  # cases interleaved, so the machine's load falls on all of them
                for case in args.cases:
                    results[case].append(run_case(case, folder, env))
            busy = machine_busy_seconds() - busy_before
            wall = time.perf_counter() - wall_before
        finally:
            if not args.keep_db:
                drop_database(args.db_url)
    own = sum(r["process_cpu_s"] for rows in results.values() for r in rows)
    print(
        f"{args.runs} runs per case; other work on the machine meanwhile (PostgreSQL included): "
        f"{max(0.0, busy - own) / wall:.2f} cores on average, of {os.cpu_count()}"
    )
    report(results)
    unexpected = {case: {r["answer"] for r in rows} - {rows[0]["expected"]} for case, rows in results.items()}
    unexpected = {case: answers for case, answers in unexpected.items() if answers}
    if unexpected:
        print(f"UNEXPECTED ANSWERS: {unexpected}")
    medians = {case: statistics.median(r["cpu_s"] for r in rows) for case, rows in results.items()}
    print("median CPU s: " + ", ".join(f"{case} {value:.3f}" for case, value in medians.items()))
    if unexpected:
        raise SystemExit(1)


# ---------------------------------------------------------------------------------------------
# A child: one case, measured in a fresh process.


def _status_kib(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def answer(response, photo_count: int) -> str:
    """ "stored" (a redirect to the new post, every photo at the page sizes), "refused" (a 400 naming
    the 25-megapixel limit) or what happened instead."""
    from PIL import Image

    from community.models import Post

    if response.status_code == 400:
        return "refused" if "2500만 화소" in response.content.decode() else "refused without the limit"
    if response.status_code != 302:
        return f"HTTP {response.status_code}"
    post = Post.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    sizes = []
    for stored in post.photos.all():
        with (
            Image.open(stored.full) as full,
            Image.open(stored.display) as display,
            Image.open(stored.thumb) as thumb,
        ):
            sizes.append((max(full.size), max(display.size), thumb.size))
    return "stored" if sizes == [(2048, 1080, (400, 400))] * photo_count else f"stored as {sizes[:1]}"


def measure(case: str, folder: Path) -> dict:
    import gc
    import threading
    from io import BytesIO

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.client import BOUNDARY, encode_multipart
    from PIL import Image

    from accounts.models import User

    photo, per_post, at_once, accepted = CASES[case]
    # Bodies are encoded before the measurement; the client sends bytes as they are under a content
    # type other than its own MULTIPART_CONTENT object.
    multipart = f"multipart/form-data; boundary={BOUNDARY}"
    data = (folder / PHOTOS[photo]).read_bytes()
    content_type = "image/jpeg" if PHOTOS[photo].endswith(".jpg") else "image/png"
    clients = []
    for index in range(at_once):
        handle = f"bench{os.getpid()}x{index}"  # unique on a kept database too
        member = User.objects.create_user(username=handle, email=f"{handle}@example.com")
        client = Client()
        client.force_login(member)
        clients.append(client)

    def body(files: list[tuple[str, bytes, str]]) -> bytes:
        fields = {"text": "벤치마크"}
        for number, (name, content, kind) in enumerate(files, start=1):
            fields[f"photo_{number}"] = SimpleUploadedFile(name, content, content_type=kind)
            fields[f"alt_{number}"] = f"사진 {number}"
        return encode_multipart(BOUNDARY, fields)

    warm = BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(warm, format="PNG")
    for client in clients:
        response = client.post("/posts/new/", body([("warm.png", warm.getvalue(), "image/png")]), multipart)
        assert response.status_code == 302, (response.status_code, response.content[:2000])
    requests = [body([(PHOTOS[photo], data, content_type)] * per_post) for _ in clients]
    responses: list = [None] * at_once

    def send(index: int) -> None:
        responses[index] = clients[index].post("/posts/new/", requests[index], multipart)

    gc.collect()
    baseline_kib = _status_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    cpu_started = time.process_time()
    if at_once == 1:
        send(0)
    else:
        threads = [threading.Thread(target=send, args=(i,)) for i in range(at_once)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    cpu_s = time.process_time() - cpu_started
    peak_kib = _status_kib("VmHWM")

    answers = [answer(response, per_post) for response in responses]
    return {
        "case": case,
        "answer": "/".join(sorted(set(answers))),
        "expected": "stored" if accepted else "refused",
        "cpu_s": cpu_s,
        "peak_mib": max(0, peak_kib - baseline_kib) / 1024,
        "process_cpu_s": sum(os.times()[:2]),
        "decode_slots": getattr(settings, "UPLOAD_DECODE_CONCURRENCY", "(no such setting)"),
    }


if __name__ == "__main__":
    main()
