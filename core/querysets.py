"""QuerySet behaviour shared by the model families members write."""

from django.db.models import Q


class VisibleToMixin:
    """``visible_to(member)`` for content moderators can hide (``is_hidden``) and members delete
    (``deleted_at``): nothing deleted, and what moderators hid only to its owner and to members with
    ``see_hidden_permission``. Each QuerySet names its owner field and that permission, so core
    needs no app to tell who moderates."""

    owner_field = "author"
    see_hidden_permission: str

    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, member):
        rows = self.not_deleted()
        if not member.is_authenticated:
            return rows.filter(is_hidden=False)
        if member.has_perm(self.see_hidden_permission):
            return rows
        return rows.filter(Q(is_hidden=False) | Q(**{self.owner_field: member}))
