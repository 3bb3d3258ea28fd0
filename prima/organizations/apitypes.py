"""Building blocks every router of the JSON API uses: bounded ids and pages, and the
documented error answers.

- :data:`Id`: an object id parameter (1 … 2⁶³−1); anything else is a 422 that names the
  parameter, never a database error.
- :class:`BoundedPagination`: ``limit`` 1 … 1000 (default 100), ``offset`` 0 … 10⁹.
- :func:`errors`: the error answers of an operation, for its ``response=`` (every
  operation documents the codes it can give: 400 for a request that cannot be read, 401
  without credentials, 403 for a role without the right, 404 for what the caller may not
  see, 422 for invalid parameters, 409/413 where the operation has them).
"""

# No "from __future__ import annotations": ninja and pydantic read these types at run time.
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field as PydanticField

from prima.lib.params import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET

Id = Annotated[int, PydanticField(ge=1, le=MAX_ID, description="An object id.")]


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset pages with bounds (``limit`` ≤ 1000, ``offset`` ≤ 10⁹): a client
    asking for more gets a 422 saying so."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class ErrorDetail(Schema):
    """An error: ``detail`` says what went wrong, in words."""

    detail: str


class ValidationIssue(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: parameters or body that do not validate (``detail`` lists each problem), or a
    request the operation cannot process (``detail`` says why)."""

    detail: list[ValidationIssue] | str


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorDetail,
    401: ErrorDetail,
    403: ErrorDetail,
    404: ErrorDetail,
    409: ErrorDetail,
    413: ErrorDetail,
    422: ValidationErrorOut,
}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """``{code: schema}`` for the error answers ``codes`` (for ``response={...}``), and
    always 400: any request may carry a query string or body that cannot be read (e.g. a
    NUL character, refused for every operation). Put it first, so that an operation's own
    richer 400/409 schema written after it wins: ``{**errors(401), 400: MyErrorOut}``."""
    return {400: ERROR_SCHEMAS[400], **{code: ERROR_SCHEMAS[code] for code in codes}}
