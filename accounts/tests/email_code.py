"""The 6-digit code the site e-mails to confirm an address, read from the test outbox.

Sign-up, and the next login of a member whose address is unconfirmed, stop at the code page
(``account_email_verification_sent``) until the code from the latest e-mail is entered.
"""

import re

from django.core import mail
from django.urls import reverse

CODE_PAGE = reverse("account_email_verification_sent")


def latest_code(email: str) -> str:
    """The code in the latest e-mail sent to ``email``."""
    for message in reversed(mail.outbox):
        if email in message.to:
            found = re.search(r"^(\d{6})$", message.body, re.MULTILINE)
            assert found, f"the latest e-mail to {email} has no code:\n{message.body}"
            return found.group(1)
    raise AssertionError(f"no e-mail was sent to {email}")


def enter_code(client, email: str):
    """Enters the e-mailed code on the code page, as the member does."""
    return client.post(CODE_PAGE, {"code": latest_code(email)})
