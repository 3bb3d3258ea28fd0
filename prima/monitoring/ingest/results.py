"""What ingestion reports about each entry and each chunk."""

from __future__ import annotations

from dataclasses import dataclass

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"


@dataclass(frozen=True)
class ItemResult:
    """What happened to one entry (returned to push-API clients)."""

    index: int
    external_id: str
    status: str
    reason: str = ""
    mention_id: int | None = None


@dataclass
class ChunkReport:
    """Counts of one chunk, or of a whole run."""

    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0

    def add(self, other: ChunkReport) -> None:
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.rejected += other.rejected
