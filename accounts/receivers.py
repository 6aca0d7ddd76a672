"""What accounts does when allauth reports an event."""

from .services import member_credentials_raise


def social_account_connected(sender, request, sociallogin, **kwargs) -> None:
    """A social account was connected (by the member from their settings, or by allauth on a
    social login with a matching e-mail address): whoever signed in before must do it again.
    The connecting request keeps its session when it is the member's."""
    member_credentials_raise(member=sociallogin.user, request=request)
