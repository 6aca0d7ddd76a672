import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "산책가자-walk-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    nickname = factory.Sequence(lambda n: f"반려인{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """Members have confirmed their address (the site asks for a code until they do);
        ``UserFactory(email_verified=False)`` makes one who has not yet."""
        if create and user.email:
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"primary": True, "verified": extracted is not False}
            )
