"""ops/backup.sh and ops/restore.sh: a backup restored into a fresh database and media folder
holds the members, their posts and their photos."""

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from community.tests.factories import PostFactory

OPS = Path(__file__).resolve().parents[2] / "ops"

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(script: str, *args: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own script and arguments
        [str(OPS / script), *args],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_has_the_data(transactional_db, tmp_path, fresh_database):
    post = PostFactory(text="백업 전에 쓴 글 #산책", author__username="backup_dubu")
    photo = default_storage.save("posts/backup.png", ContentFile(b"photo bytes"))

    backup = run(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    restored_media = tmp_path / "restored-media"
    run("restore.sh", backup, DATABASE_URL=database_url(fresh_database), MEDIA_ROOT=str(restored_media))

    with psycopg.connect(database_url(fresh_database)) as restored:
        author = restored.execute(
            "SELECT u.username FROM community_post p JOIN accounts_user u ON u.id = p.author_id"
            " WHERE p.id = %s AND p.text = %s",
            [post.pk, "백업 전에 쓴 글 #산책"],
        ).fetchone()
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert author == ("backup_dubu",)
    assert migrations > 0
    assert (restored_media / photo).read_bytes() == b"photo bytes"


def test_a_damaged_backup_is_refused_before_anything_is_restored(transactional_db, tmp_path, fresh_database):
    PostFactory()
    backup = run(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    with open(Path(backup) / "database.dump", "ab") as dump:
        dump.write(b"damage")

    result = subprocess.run(  # noqa: S603 - our own script and arguments
        [str(OPS / "restore.sh"), backup],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(fresh_database)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    with psycopg.connect(database_url(fresh_database)) as restored:
        tables = restored.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0
