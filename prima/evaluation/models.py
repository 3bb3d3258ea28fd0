"""Models of the evaluation app (each part keeps its models in its own module)."""

from .coverage_models import CoverageProposal, CoverageQuery, ProposalStatus

__all__ = ["CoverageProposal", "CoverageQuery", "ProposalStatus"]
