# The `<id:...>` URL converter must exist before any URL pattern is built (models included).
from . import converters  # noqa: F401
