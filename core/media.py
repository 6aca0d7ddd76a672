"""Members' uploads from the local media folder, with cache headers.

Used when uploads are stored on the local disk (the default; a volume in docker-compose).
With S3-compatible storage the files are served by the bucket, which gets the same
``Cache-Control`` as object metadata (``STORAGES`` in settings). whitenoise serves only
static files: it indexes them at start-up, and uploads arrive afterwards.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

# An upload is never a page: nothing in it may run, even if a browser sniffs it as HTML or SVG.
UPLOAD_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _cache_headers(response, modified: float):
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    return response


@require_safe
def serve(request, path: str):
    try:
        full_path = Path(default_storage.path(path))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    try:
        if not full_path.is_file():
            raise Http404
        modified = full_path.stat().st_mtime
    except OSError as error:  # a name the file system refuses (too long, say) names no upload
        raise Http404 from error
    if not was_modified_since(request.headers.get("If-Modified-Since"), modified):
        return _cache_headers(HttpResponseNotModified(), modified)
    content_type, _encoding = mimetypes.guess_type(full_path.name)
    response = FileResponse(full_path.open("rb"), content_type=content_type or "application/octet-stream")
    response["Content-Security-Policy"] = UPLOAD_POLICY
    return _cache_headers(response, modified)
