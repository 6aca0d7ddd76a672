"""Chat pages. Everything works without JavaScript; chat.js adds the live socket."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import confirm

from . import selectors, services
from .forms import ChatPreferenceForm, MessageForm
from .models import MESSAGE_MAX_LENGTH, Message, Room
from .pagination import message_page

User = get_user_model()


def js_strings() -> dict:
    """What chat.js shows, translated here (the page passes it through json_script)."""
    return {
        "connecting": _("Connecting to live chat…"),
        "connected": _("Live: new messages appear as they are sent."),
        "reconnecting": _(
            "Real-time delivery is paused. Reconnecting… Messages you send now are still saved."
        ),
        "closed": _("This room is closed: you can read it, but not write in it."),
        "removed": _("You are no longer in this room."),
        "unauthenticated": _("Log in again to keep chatting."),
        "deleted": _("This message was deleted."),
        "delete": _("Delete"),
        "deleteQuestion": _("Delete this message?"),
        "deleteConfirm": _("Delete the message"),
        "deleteDetail": _("The others in the room will see that a message was deleted."),
        "sending": _("Sending…"),
        "retrying": _("Not sent yet: it will be sent again automatically."),
        "tooFast": _("You are sending messages too fast. Try again in a moment."),
        "failed": _("Something went wrong. Try again."),
        "noOlder": _("This is the beginning of the conversation."),
        # %(name)s is filled in by chat.js with the member's name.
        "typing": _("%(name)s is typing…"),
        "unread": _("Not read by %(count)s"),
        "readUpTo": _("Read up to here"),
        # %(now)s is filled in by chat.js as the member types.
        "tooLong": services.too_long_message("%(now)s"),
    }


def _summary_or_404(*, member, room_id: int):
    summaries = selectors.room_summaries(
        member=member, rooms=selectors.member_rooms(member=member).filter(pk=room_id)
    )
    if not summaries:
        raise Http404
    return summaries[0]


def _sending(summary, *, member) -> tuple[bool, str]:
    """Whether the member can write in this room now, and if not, why."""
    room = summary.room
    if room.is_closed:
        return False, _("This room is closed: you can read it, but not write in it.")
    if room.kind == Room.Kind.DIRECT:
        other = summary.other_member
        if other is None or not selectors.can_message(sender=member, recipient=other):
            return False, _("This member is not taking direct messages from you.")
    return True, ""


# chat.js sets this cookie: its pages mark messages read as they come into view, not on load.
LIVE_COOKIE = "chat_live"


def _room_page(request, room_id: int, *, form: MessageForm | None = None, status: int = 200):
    summary = _summary_or_404(member=request.user, room_id=room_id)
    try:
        page = message_page(room_id=room_id, params=request.GET, base_url=request.path)
    except ValueError as error:
        raise Http404 from error
    latest = not request.GET.get("before") and not request.GET.get("after")
    positions = selectors.read_positions(room_id=room_id, viewer_id=request.user.pk)
    # Where the member left off, before this visit moves it: "Read up to here" goes after it.
    left_off = positions.get(request.user.pk, 0)
    if latest and request.method == "GET" and LIVE_COOKIE not in request.COOKIES:
        # Without JavaScript, seeing the page is what reading is.
        positions[request.user.pk] = services.room_mark_read(room_id=room_id, member=request.user)
    for message in page.messages:
        message.unread_readers = selectors.unread_readers(message, positions)
    first_unread = (
        selectors.first_unread_id(page.messages, member_id=request.user.pk, last_read_id=left_off)
        if latest
        else None
    )
    can_send, cannot_send_reason = _sending(summary, member=request.user)
    if form is None:
        form = MessageForm(initial={"client_id": MessageForm.new_client_id()})
    return render(
        request,
        "chat/room.html",
        {
            "summary": summary,
            "room": summary.room,
            "chat_messages": page.messages,
            "older_link": page.older,
            "newer_link": page.newer if not latest else None,
            "is_latest": latest,
            "first_unread_id": first_unread,
            "form": form,
            "can_send": can_send,
            "cannot_send_reason": cannot_send_reason,
            "ws_path": f"/ws/chat/{room_id}/",
            "chat_strings": js_strings(),
            "max_length": MESSAGE_MAX_LENGTH,
        },
        status=status,
    )


@login_required
@require_safe
def room_list(request):
    rooms = selectors.room_summaries(member=request.user, rooms=selectors.member_rooms(member=request.user))
    return render(request, "chat/room_list.html", {"rooms": rooms})


@login_required
@require_safe
def room_detail(request, room_id: int):
    return _room_page(request, room_id)


@login_required
@require_POST
def message_send(request, room_id: int):
    """The composer without JavaScript (chat.js sends over the socket, or the API when it is down)."""
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _room_page(request, room_id, form=form, status=400)
    try:
        result = services.message_send(
            room_id=room_id,
            sender=request.user,
            client_id=form.cleaned_data["client_id"],
            text=form.cleaned_data["text"],
        )
    except Room.DoesNotExist as error:
        raise Http404 from error
    except services.RateLimited as limited:
        form.add_error(
            None,
            _("You are sending messages too fast. Try again in %(seconds)d seconds.")
            % {"seconds": max(1, round(limited.retry_after))},
        )
        response = _room_page(request, room_id, form=form, status=429)
        response["Retry-After"] = str(max(1, round(limited.retry_after)))
        return response
    except ValidationError as error:
        form.add_error("text", error.messages)
        return _room_page(request, room_id, form=form, status=400)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _room_page(request, room_id, form=form, status=403)
    return redirect(f"{reverse('chat:room', args=[room_id])}#message-{result.message.pk}")


@login_required
@require_POST
def message_delete(request, message_id: int):
    """Deletes one's own message after asking (the dialog, or a page without JavaScript)."""
    if not confirm.confirmed(request):
        message = get_object_or_404(
            Message,
            pk=message_id,
            sender=request.user,
            deleted_at__isnull=True,
            room__memberships__member=request.user,
        )
        return confirm.ask(
            request,
            question=_("Delete this message?"),
            detail=message.text,
            confirm_label=_("Delete the message"),
            cancel_url=f"{reverse('chat:room', args=[message.room_id])}#message-{message.pk}",
        )
    try:
        message = services.message_delete(message_id=message_id, member=request.user)
    except Message.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Your message was deleted."))
    return redirect("chat:room", room_id=message.room_id)


@login_required
@require_safe
def walk_room(request, walk_id: int):
    """The walk's group room, for its host and members; 404 for anyone else."""
    room_id = selectors.walk_room_id(walk_id=walk_id, member=request.user)
    if room_id is None:
        raise Http404
    return redirect("chat:room", room_id=room_id)


@login_required
def direct_start(request, username: str):
    """Opens the conversation with a member; starting one takes a POST (and their consent)."""
    other = get_object_or_404(User, username__iexact=username, is_active=True)
    if other.pk == request.user.pk:
        raise Http404
    existing = selectors.direct_room(member=request.user, other=other)
    if existing is not None:
        return redirect("chat:room", room_id=existing.pk)
    allowed = selectors.can_message(sender=request.user, recipient=other)
    if request.method == "POST" and allowed:
        room = services.direct_room_get_or_create(member=request.user, other=other)
        return redirect("chat:room", room_id=room.pk)
    return render(
        request,
        "chat/direct_start.html",
        {"other": other, "allowed": allowed},
        status=200 if allowed else 403,
    )


@login_required
def chat_settings(request):
    current = selectors.direct_messages_choice(member=request.user)
    form = ChatPreferenceForm(request.POST or None, initial={"direct_messages": current})
    if request.method == "POST" and form.is_valid():
        services.chat_preference_set(
            member=request.user, direct_messages=form.cleaned_data["direct_messages"]
        )
        messages.success(request, _("Your chat settings were saved."))
        return redirect("chat:settings")
    return render(request, "chat/settings.html", {"form": form}, status=400 if form.errors else 200)
