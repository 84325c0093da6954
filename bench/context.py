"""What every benchmark section shares: the documents, their XML, the budget
scale and the samples measured so far (later rows quote earlier ones)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bench.timing import Samples, measure
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice

SMALL_LINES = 20
LARGE_LINES = 500


@dataclass(slots=True)
class Context:
    profile: Profile
    small: Document
    large: Document
    small_xml: bytes
    large_xml: bytes
    scale: float = 1.0  # < 1 for a quick run: smaller budgets and run counts
    measured: dict[str, Samples] = field(default_factory=dict)

    @classmethod
    def build(cls, scale: float = 1.0) -> Context:
        profile = Profile.EN16931
        small = demo_invoice(SMALL_LINES)
        large = demo_invoice(LARGE_LINES)
        return cls(
            profile=profile,
            small=small,
            large=large,
            small_xml=to_xml_bytes(small, profile),
            large_xml=to_xml_bytes(large, profile),
            scale=scale,
        )

    def time(
        self,
        key: str,
        action: Callable[[], object],
        *,
        warmup: int,
        runs: tuple[int, int],
        budget_s: float,
    ) -> Samples:
        """Measure `action` (`runs` = minimum, maximum timed runs) and keep
        the samples under `key`."""
        low, high = runs
        samples = measure(
            action,
            warmup=max(1, round(warmup * self.scale)),
            min_runs=max(3, round(low * self.scale)),
            max_runs=max(3, round(high * self.scale)),
            budget_s=budget_s * self.scale,
        )
        self.measured[key] = samples
        return samples
