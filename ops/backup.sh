#!/usr/bin/env bash
# Backs up Petrasche: the database (pg_dump's custom format) and the uploaded media (a tarball),
# with their checksums, into DEST/petrasche-<UTC time>/ (DEST defaults to ./backups).
#
#   DATABASE_URL=postgres://user:pass@db:5432/petrasche MEDIA_ROOT=/app/media ops/backup.sh [DEST]
#
# With uploads on S3-compatible storage, MEDIA_ROOT is empty: keep the bucket versioned instead.
# Restore with ops/restore.sh. Prints the backup's directory.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
media="${MEDIA_ROOT:-media}"
dest="${1:-backups}"
target="$dest/petrasche-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target" "$media"

pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
tar --create --gzip --file="$target/media.tar.gz" --directory="$media" .
(cd "$target" && sha256sum database.dump media.tar.gz >SHA256SUMS)
echo "$target"
