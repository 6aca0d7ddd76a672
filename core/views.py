from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit

from . import services
from .models import TemporaryUpload


def upload_json(upload: TemporaryUpload) -> dict:
    return {
        "key": str(upload.key),
        "thumb_url": upload.thumb.url,
        "width": upload.width,
        "height": upload.height,
        "expires_at": upload.expires_at.isoformat(),
    }


@login_required
@require_POST
def upload_create(request):
    """A photo chosen in a form (``photo``), kept for the form: 201 with its key and thumbnail, or 400
    with what is wrong. Counted against the photo upload limit, as the forms' own photos are."""
    photo = request.FILES.get("photo")
    if photo is None:
        return JsonResponse({"errors": [_("Choose a photo first.")]}, status=400)
    ratelimit.hit("upload", request.user.pk)
    try:
        upload = services.temporary_upload_create(owner=request.user, file=photo)
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=400)
    return JsonResponse(upload_json(upload), status=201)


@login_required
@require_POST
def upload_delete(request, key):
    """A photo the member took out of the form before sending it: 204, or 404 if it is not theirs
    (or gone already)."""
    if not services.temporary_upload_delete(owner=request.user, key=key):
        raise Http404
    return HttpResponse(status=204)
