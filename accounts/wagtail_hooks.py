from wagtail import hooks

from .admin_viewsets import MemberDeleteBulkAction

# After wagtail.users' own "delete" bulk action (order 0), which this one replaces for members.
hooks.register("register_bulk_action", MemberDeleteBulkAction, order=1)
