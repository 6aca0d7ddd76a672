from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import ratelimit

from .forms import ProfileForm
from .services import member_update_profile


@login_required
def profile_edit(request):
    member = request.user
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial={"nickname": member.nickname, "bio": member.bio}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["avatar"]:
            ratelimit.hit("upload", member.pk)
        try:
            member_update_profile(
                member=member,
                nickname=form.cleaned_data["nickname"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data["avatar"] or None,
                remove_avatar=form.cleaned_data["remove_avatar"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("community:profile", username=member.username)
    return render(request, "accounts/profile_form.html", {"form": form}, status=400 if form.errors else 200)
