from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from core import ratelimit
from core.pagination import paginate

from . import selectors, services
from .forms import PetForm
from .models import Pet


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _own_pet(request, pk: int) -> Pet:
    pet = get_object_or_404(Pet.objects.not_deleted(), pk=pk)
    if pet.owner_id != request.user.pk:
        raise PermissionDenied
    return pet


@require_safe
def pet_detail(request, pk: int):
    """A pet's page, public: the profile, the posts that tag it, and for the owner the photo check."""
    try:
        pet = selectors.pet_detail(viewer=request.user, pet_id=pk)
    except Pet.DoesNotExist as error:
        raise Http404 from error
    posts, next_link = paginate(request, selectors.pet_posts(viewer=request.user, pet=pet, with_pets=False))
    return render(
        request,
        "pets/pet_detail.html",
        {"pet": pet, "posts": posts, "next_link": next_link, "is_owner": pet.owner_id == request.user.pk},
    )


def _count_upload(request, form) -> None:
    """A new photo counts toward the member's upload limit (429 past it)."""
    if form.cleaned_data.get("photo"):
        ratelimit.hit("upload", request.user.pk)


@login_required
def pet_create(request):
    form = PetForm(request.POST or None, request.FILES or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        _count_upload(request, form)
        try:
            pet = services.pet_create(owner=request.user, **form.service_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s's profile is ready.") % {"name": pet.name})
            return redirect("pets:detail", pk=pet.pk)
    return render(request, "pets/pet_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def pet_edit(request, pk: int):
    pet = _own_pet(request, pk)
    form = PetForm(request.POST or None, request.FILES or None, pet=pet, owner=request.user)
    if request.method == "POST" and form.is_valid():
        _count_upload(request, form)
        try:
            services.pet_update(
                pet_id=pet.pk,
                member=request.user,
                remove_photo=form.cleaned_data.get("remove_photo", False),
                **form.service_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("pets:detail", pk=pet.pk)
    return render(
        request, "pets/pet_form.html", {"form": form, "pet": pet}, status=400 if form.errors else 200
    )


@login_required
def pet_delete(request, pk: int):
    pet = _own_pet(request, pk)
    if request.method == "POST":
        services.pet_delete(pet_id=pet.pk, member=request.user)
        messages.success(request, _("%(name)s's profile was deleted.") % {"name": pet.name})
        return redirect("community:profile", username=request.user.username)
    return render(request, "pets/pet_confirm_delete.html", {"pet": pet})


@never_cache
@login_required
@require_GET
def pet_verdict(request, pk: int):
    """The photo check's state as JSON, for the owner's page to poll until it is no longer pending."""
    pet = _own_pet(request, pk)
    html = render_to_string("pets/includes/photo_check.html", {"pet": pet, "is_owner": True}, request)
    return JsonResponse(
        {
            "status": pet.photo_status or None,
            "verdict": pet.verdict or None,
            "confidence": pet.verdict_confidence,
            "checked_at": pet.verdict_at.isoformat() if pet.verdict_at else None,
            "species": pet.species,
            "html": html,
        }
    )
