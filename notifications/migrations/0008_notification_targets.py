"""A notification's target, until now one of five foreign keys into community, walks and the World
Cup, becomes a content type and id with the text and link the list shows (what each app's
``notifications.py`` stores for new rows), and the keys go: this app imports no content app.
Every row keeps its target; works both ways."""

from urllib.parse import quote

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

# The target keys, in the order a row was read by the list: a comment's row also named its post.
KEYS = [
    ("comment", "community", "comment"),
    ("post", "community", "post"),
    ("walk", "walks", "walk"),
    ("worldcup_entry", "worldcup", "entry"),
    ("worldcup_event", "worldcup", "worldcupeventpage"),
]
BATCH = 500


class PageUrls:
    """Wagtail's ``Page.url`` for historical pages: relative when there is one site, else with
    the matching site's root URL (the default site first)."""

    def __init__(self, apps):
        Site = apps.get_model("wagtailcore", "Site")
        self.pages = apps.get_model("wagtailcore", "Page").objects
        self.sites = [
            (site.root_page.url_path, self._root_url(site))
            for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname")
        ]

    @staticmethod
    def _root_url(site) -> str:
        if site.port == 80:
            return f"http://{site.hostname}"
        if site.port == 443:
            return f"https://{site.hostname}"
        return f"http://{site.hostname}:{site.port}"

    def __call__(self, page_id: int) -> str:
        url_path = self.pages.filter(pk=page_id).values_list("url_path", flat=True).first() or ""
        for root_path, root_url in self.sites:
            if url_path.startswith(root_path):
                path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
                return path if len(self.sites) == 1 else root_url + path
        return ""


def fill_targets(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Walk = apps.get_model("walks", "Walk")
    Entry = apps.get_model("worldcup", "Entry")
    Event = apps.get_model("worldcup", "WorldCupEventPage")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    types = {
        field: ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
        for field, app_label, model in KEYS
    }
    types["member"] = ContentType.objects.get_or_create(
        app_label=User._meta.app_label, model=User._meta.model_name
    )[0]
    page_url = PageUrls(apps)
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    rows = Notification.objects.filter(
        models.Q(post__isnull=False)
        | models.Q(comment__isnull=False)
        | models.Q(walk__isnull=False)
        | models.Q(worldcup_event__isnull=False)
        | models.Q(worldcup_entry__isnull=False)
        | models.Q(kind="follow", actor__isnull=False)
    ).order_by("pk")
    last = 0
    with translation.override(settings.LANGUAGE_CODE):
        while batch := list(rows.filter(pk__gt=last)[:BATCH]):
            last = batch[-1].pk
            for note in batch:
                _fill(note, types, page_url, site_url, Walk, Entry, Event, User)
            Notification.objects.bulk_update(
                batch, ["target_type", "target_id", "target_text", "target_url", "details"]
            )


def _fill(note, types, page_url, site_url, Walk, Entry, Event, User) -> None:
    if note.comment_id:
        note.target_type, note.target_id = types["comment"], note.comment_id
        note.target_url = (
            reverse("community:post_detail", args=[note.post_id]) + f"#comment-{note.comment_id}"
        )
    elif note.post_id:
        note.target_type, note.target_id = types["post"], note.post_id
        note.target_url = reverse("community:post_detail", args=[note.post_id])
    elif note.walk_id:
        walk = Walk.objects.get(pk=note.walk_id)
        note.target_type, note.target_id, note.target_text = types["walk"], walk.pk, walk.title[:200]
        # The board's walk_detail route (walks/models.py).
        note.target_url = f"{page_url(walk.board_id) or '/'}{walk.pk}/"
        if note.kind == "walk_review":
            # Walk.review_post_text, the post form filled in with the walk.
            tags = gettext("#WalkReview #Walk%(id)d") % {"id": walk.pk}
            text = f"{walk.title}\n{site_url}{note.target_url}\n{tags} "
            note.target_url = reverse("community:post_create") + "?text=" + quote(text, safe="/")
    elif note.worldcup_entry_id:
        entry = Entry.objects.get(pk=note.worldcup_entry_id)
        event = Event.objects.get(pk=note.worldcup_event_id or entry.event_id)
        note.target_type, note.target_id, note.target_text = types["worldcup_entry"], entry.pk, event.title
        note.target_url = page_url(event.pk)
        note.details = {**note.details, "pet": entry.pet_name}
    elif note.worldcup_event_id:
        event = Event.objects.get(pk=note.worldcup_event_id)
        note.target_type, note.target_id, note.target_text = types["worldcup_event"], event.pk, event.title
        note.target_url = page_url(event.pk)
        note.details = {**note.details, "opens": event.entry_opens_at.isoformat()}
    else:  # a follow: the member who followed
        note.target_type, note.target_id = types["member"], note.actor_id
        username = User.objects.filter(pk=note.actor_id).values_list("username", flat=True).first()
        note.target_url = reverse("community:profile", args=[username])


def fill_keys(apps, schema_editor):
    """Backwards: the foreign keys again, from the targets (a comment's row names its post too)."""
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Comment = apps.get_model("community", "Comment")
    Entry = apps.get_model("worldcup", "Entry")
    for field, app_label, model in KEYS:
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        rows = Notification.objects.filter(target_type=content_type)
        rows.update(**{f"{field}_id": models.F("target_id")})
        if field == "comment":
            post = Comment.objects.filter(pk=models.OuterRef("comment_id")).values("post_id")[:1]
            rows.update(post_id=models.Subquery(post))
        elif field == "worldcup_entry":
            event = Entry.objects.filter(pk=models.OuterRef("worldcup_entry_id")).values("event_id")[:1]
            rows.update(worldcup_event_id=models.Subquery(event))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0007_notification_moved_here"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_text",
            field=models.CharField(
                blank=True,
                help_text="What the notification names of its target (a walk's title).",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_url",
            field=models.CharField(blank=True, help_text="Where its link leads.", max_length=500),
        ),
        migrations.RunPython(fill_targets, fill_keys),
        migrations.RemoveField(model_name="notification", name="post"),
        migrations.RemoveField(model_name="notification", name="comment"),
        migrations.RemoveField(model_name="notification", name="walk"),
        migrations.RemoveField(model_name="notification", name="worldcup_event"),
        migrations.RemoveField(model_name="notification", name="worldcup_entry"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ),
    ]
