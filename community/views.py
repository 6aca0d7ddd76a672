from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core import confirm, ratelimit
from core import services as core_services
from core.errors import wants_json
from core.http import back
from core.pagination import paginate
from korean.hashtags import normalize_hashtag
from notifications import selectors as notification_selectors
from pets import selectors as pets_selectors

from . import limits, selectors, services
from .forms import SLOTS, CommentForm, PostForm
from .models import POST_TEXT_MAX_LENGTH, Comment, Hashtag, Post

User = get_user_model()


@require_safe
def post_detail(request, pk: int):
    try:
        post = selectors.post_detail(viewer=request.user, post_id=pk)
    except Post.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "community/post_detail.html",
        {
            "post": post,
            "comments": selectors.post_comments(viewer=request.user, post=post),
            "comment_form": CommentForm(),
        },
    )


def _bound_post_form(request, *, post=None) -> PostForm:
    """The post form as sent. Every photo that came with it is first kept as a temporary upload
    (counted and checked like any photo), so whatever else needs fixing, the form comes back
    with the photos in place; a photo that cannot be kept says why in its row."""
    data = request.POST.copy()
    refused = {}
    for number in SLOTS:
        file = request.FILES.get(f"photo_{number}")
        if file is None:
            continue
        ratelimit.hit("upload", request.user.pk)
        try:
            upload = core_services.temporary_upload_create(owner=request.user, file=file)
        except ValidationError as error:
            refused[f"photo_{number}"] = error.messages
        else:
            data[f"upload_{number}"] = str(upload.key)
            data.pop(f"existing_{number}", None)
    form = PostForm(data, author=request.user, post=post)
    form.is_valid()
    for name, problems in refused.items():
        form.add_error(name, problems)
    return form


@login_required
def post_create(request):
    if request.method != "POST":
        # ?text= starts the post (a walk's 후기 prompt links here with the walk filled in); a draft
        # the member chose to resume (?draft=resume) comes first.
        draft = selectors.post_draft(member=request.user)
        resume = draft is not None and request.GET.get("draft") == "resume"
        initial = {"text": draft.text if resume else request.GET.get("text", "")[:POST_TEXT_MAX_LENGTH]}
        form = PostForm(author=request.user, initial=initial)
        return render(
            request, "community/post_form.html", {"form": form, "draft": draft, "draft_resumed": resume}
        )
    form = _bound_post_form(request)
    if not form.errors:
        limits.hit_post(member=request.user, photo_count=0)  # each photo was counted as it was kept
        try:
            post = services.post_create(
                author=request.user, text=form.cleaned_data["text"], photos=form.photos, pets=form.pet_ids
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your post is up."))
            return redirect("community:post_detail", pk=post.pk)
    return render(request, "community/post_form.html", {"form": form}, status=400)


def _add_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _own_post(request, pk: int) -> Post:
    post = get_object_or_404(Post.objects.not_deleted(), pk=pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    return post


@login_required
def post_edit(request, pk: int):
    post = _own_post(request, pk)
    if request.method != "POST":
        form = PostForm(initial={"text": post.text}, author=request.user, post=post)
        return render(request, "community/post_form.html", {"form": form, "post": post})
    form = _bound_post_form(request, post=post)
    if not form.errors:
        try:
            services.post_update(
                post_id=post.pk, member=request.user, text=form.cleaned_data["text"], photos=form.photos
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your post was updated."))
            return redirect("community:post_detail", pk=post.pk)
    return render(request, "community/post_form.html", {"form": form, "post": post}, status=400)


@login_required
def post_delete(request, pk: int):
    post = _own_post(request, pk)
    if confirm.confirmed(request):
        services.post_delete(post_id=post.pk, member=request.user)
        messages.success(request, _("Your post was deleted."))
        return redirect("community:profile", username=request.user.username)
    return render(request, "community/post_confirm_delete.html", {"post": post})


@login_required
@require_POST
def comment_create(request, pk: int):
    form = CommentForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"errors": form.errors}, status=400)
        messages.error(request, _("Write a comment first (up to 1,000 characters)."))
        return redirect("community:post_detail", pk=pk)
    limits.hit_comment(member=request.user)
    try:
        comment = services.comment_create(
            post_id=pk,
            author=request.user,
            text=form.cleaned_data["text"],
            parent_id=form.cleaned_data["parent"],
        )
    except Post.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        if wants_json(request):
            return JsonResponse({"errors": error.message_dict}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect("community:post_detail", pk=pk)
    if wants_json(request):
        html = render(request, "community/includes/comment.html", {"comment": comment, "post": comment.post})
        shown = selectors.post_detail(viewer=request.user, post_id=pk).shown_comment_count
        return JsonResponse(
            {
                "id": comment.pk,
                "html": html.content.decode(),
                "comment_count": shown,
                "comment_heading": comment_heading(shown),
            },
            status=201,
        )
    return redirect(reverse("community:post_detail", args=[pk]) + f"#comment-{comment.pk}")


def comment_heading(count: int) -> str:
    """The comments section's heading, as the post page shows it ("댓글 3개")."""
    return ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": count}


@login_required
@require_POST
def comment_delete(request, pk: int):
    comment = get_object_or_404(Comment, pk=pk, deleted_at__isnull=True)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            question=_("Delete this comment?"),
            detail=comment.text,
            confirm_label=_("Delete the comment"),
            cancel_url=reverse("community:post_detail", args=[comment.post_id]) + f"#comment-{comment.pk}",
        )
    services.comment_delete(comment_id=comment.pk, member=request.user)
    messages.success(request, _("Your comment was deleted."))
    return redirect("community:post_detail", pk=comment.post_id)


@login_required
@require_POST
def like_toggle(request, pk: int):
    action = services.like_remove if request.POST.get("action") == "unlike" else services.like_add
    try:
        post = action(post_id=pk, member=request.user)
    except Post.DoesNotExist as error:
        raise Http404 from error
    if wants_json(request):
        liked = post.likes.filter(user=request.user).exists()
        return JsonResponse({"liked": liked, "like_count": post.like_count})
    return back(request, reverse("community:post_detail", args=[pk]))


@login_required
@require_POST
def follow_toggle(request, username: str):
    member = get_object_or_404(User, username__iexact=username, is_active=True)
    if member.pk == request.user.pk:
        if wants_json(request):
            return JsonResponse({"error": _("You cannot follow yourself.")}, status=400)
        messages.error(request, _("You cannot follow yourself."))
        return redirect("community:profile", username=member.username)
    if request.POST.get("action") == "unfollow":
        services.follow_remove(follower=request.user, following=member)
        following = False
    else:
        services.follow_add(follower=request.user, following=member)
        following = True
    if wants_json(request):
        return JsonResponse(
            {
                "following": following,
                "username": member.username,
                "follower_count": member.follower_set.count(),
            }
        )
    return back(request, reverse("community:profile", args=[member.username]))


@require_safe
def profile(request, username: str):
    try:
        member = selectors.member_profile(viewer=request.user, username=username)
    except User.DoesNotExist as error:
        raise Http404 from error
    posts, next_link = paginate(
        request, selectors.member_posts(viewer=request.user, member=member, with_pets=False)
    )
    return render(
        request,
        "community/profile.html",
        {
            "member": member,
            "posts": posts,
            "next_link": next_link,
            "is_self": member.pk == request.user.pk,
            "pets": pets_selectors.member_pets(viewer=request.user, member=member),
        },
    )


@require_safe
def hashtag(request, name: str):
    tag = get_object_or_404(Hashtag, name=normalize_hashtag(name))
    posts, next_link = paginate(
        request, selectors.hashtag_posts(viewer=request.user, hashtag=tag, with_pets=False)
    )
    return render(request, "community/hashtag.html", {"hashtag": tag, "posts": posts, "next_link": next_link})


@login_required
@require_safe
def notifications(request):
    """The member's notifications. Opening the list reads what it shows: those rows are marked read
    (the nav's badge, counted as the page renders, already leaves them out) while the page still
    marks them as new."""
    items, next_link = paginate(
        request,
        notification_selectors.notification_list(member=request.user),
        page_size=30,
        max_page_size=100,
    )
    if items and request.method == "GET":
        # Every shown row's id, read or not: one UPDATE on every page, whatever is unread.
        services.notifications_mark_read(member=request.user, ids=[note.pk for note in items])
    return render(request, "community/notifications.html", {"notifications": items, "next_link": next_link})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(member=request.user)
    if wants_json(request):
        return JsonResponse({"unread": 0})
    return redirect("community:notifications")


def _follow_list(request, username: str, *, following: bool):
    try:
        member = selectors.member_profile(viewer=request.user, username=username)
    except User.DoesNotExist as error:
        raise Http404 from error
    select = selectors.member_following if following else selectors.member_followers
    rows, next_link = paginate(
        request, select(viewer=request.user, member=member), page_size=30, max_page_size=100
    )
    people = []
    for row in rows:
        person = row.following if following else row.follower
        person.followed_by_viewer = row.followed_by_viewer
        people.append(person)
    return render(
        request,
        "community/follow_list.html",
        {"member": member, "people": people, "next_link": next_link, "following": following},
    )


@require_safe
def followers(request, username: str):
    return _follow_list(request, username, following=False)


@require_safe
def following(request, username: str):
    return _follow_list(request, username, following=True)
