#!/usr/bin/env bash
# Restores a backup made by ops/backup.sh into an empty database and a media folder.
#
#   createdb petrasche_restored
#   DATABASE_URL=postgres://user:pass@db:5432/petrasche_restored MEDIA_ROOT=/app/media \
#       ops/restore.sh backups/petrasche-20260101T000000Z
#
# The checksums are verified first; the database is restored in one transaction, so a failed
# restore leaves it empty. Run `manage.py migrate` afterwards when the code is newer than the backup.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the (empty) database to restore into}"
backup="${1:?usage: ops/restore.sh BACKUP_DIRECTORY}"
media="${MEDIA_ROOT:-media}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$media"
tar --extract --gzip --file="$backup/media.tar.gz" --directory="$media"
echo "restored $backup"
