"""The documents app's admin; each part keeps its own module."""

from .generation import admin as generation_admin  # noqa: F401 - registers its models
from .verification import admin as verification_admin  # noqa: F401 - registers its models
