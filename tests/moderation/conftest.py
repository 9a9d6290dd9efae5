"""Shared fixtures for the moderation tests."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.policy import Policy


@pytest.fixture
def ctx() -> CheckContext:
    """A context with the default policy."""
    return CheckContext(policy=Policy())
