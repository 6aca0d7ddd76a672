"""Settings for a real ml worker (``manage.py qcluster``) that a test starts against its database.

The test settings, with the uploads folder of the test that started it (``MEDIA_ROOT``); the
database comes from ``DATABASE_URL`` as always.
"""

import os
from pathlib import Path

from site_core.settings.test import *  # noqa: F403

if os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
