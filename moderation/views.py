from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.http import back

from . import registry, selectors, services
from .forms import AppealForm, ReportForm

User = get_user_model()


@login_required
def report(request, target_type: str, object_id: int):
    entry = registry.get(target_type)
    target = entry.visible_to(request.user).filter(pk=object_id).first() if entry else None
    if target is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                target_type=target_type,
                object_id=object_id,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Thank you. Moderators will look at your report."))
            return back(request, entry.url(target) or "/")
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "label": entry.label,
            "target_text": entry.text(target),
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


def _member(username: str):
    return get_object_or_404(User, username__iexact=username, is_active=True)


def _toggle(request, username: str, *, undo: str, add, remove, added: str, removed: str):
    """Adds or removes (``action`` = ``undo``) the viewer's block or mute of a member, then goes back."""
    other = _member(username)
    try:
        if request.POST.get("action") == undo:
            remove(member=request.user, other=other)
            messages.success(request, removed % {"name": other.display_name})
        else:
            add(member=request.user, other=other)
            messages.success(request, added % {"name": other.display_name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back(request, f"/members/{other.username}/")


@login_required
@require_POST
def block_toggle(request, username: str):
    return _toggle(
        request,
        username,
        undo="unblock",
        add=services.block_add,
        remove=services.block_remove,
        added=_("You blocked %(name)s: you no longer see or reach each other."),
        removed=_("You unblocked %(name)s."),
    )


@login_required
@require_POST
def mute_toggle(request, username: str):
    return _toggle(
        request,
        username,
        undo="unmute",
        add=services.mute_add,
        remove=services.mute_remove,
        added=_("You muted %(name)s: their posts and comments are hidden from you."),
        removed=_("You unmuted %(name)s."),
    )


@login_required
@require_safe
def notices(request):
    return render(
        request,
        "moderation/notices.html",
        {"notices": selectors.member_notices(member=request.user), "appeal_form": AppealForm()},
    )


@login_required
@require_POST
def appeal(request, pk: int):
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why moderators should look again (up to 1,000 characters)."))
        return redirect("moderation:notices")
    try:
        services.appeal_create(member=request.user, action_id=pk, text=form.cleaned_data["text"])
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("moderation:notices")
    messages.success(request, _("Your appeal was sent; moderators will review the decision again."))
    return redirect("moderation:notices")
