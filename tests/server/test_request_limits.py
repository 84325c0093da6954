"""Per-partner limits (server/request_limits.py): the token bucket, the in-flight
cap, and the work slots handed out fairly between partners. Driven by a settable
clock and explicit releases: no timing involved."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from server.problems import Problem
from server.request_limits import PartnerLimits
from server.settings import LimitSettings, SettingsError


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_allows_a_burst_then_the_rate_and_says_when_to_retry() -> None:
    clock = Monotonic()
    limits = PartnerLimits(LimitSettings(rate_per_second=2.0, burst=3), clock)
    for _ in range(3):
        limits.take_token(1)
    with pytest.raises(Problem) as refused:
        limits.take_token(1)
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    assert refused.value.headers == {"Retry-After": "1"}
    limits.take_token(2)  # another partner has its own bucket
    clock.now += 0.5  # one token back at 2 per second
    limits.take_token(1)
    with pytest.raises(Problem):
        limits.take_token(1)
    clock.now += 100  # refills up to the burst, no further
    for _ in range(3):
        limits.take_token(1)
    with pytest.raises(Problem):
        limits.take_token(1)


def test_a_slow_rate_says_how_long_to_wait() -> None:
    limits = PartnerLimits(LimitSettings(rate_per_second=0.1, burst=1), Monotonic())
    limits.take_token(1)
    with pytest.raises(Problem) as refused:
        limits.take_token(1)
    assert refused.value.headers == {"Retry-After": "10"}


def test_requests_in_flight_are_capped_per_partner() -> None:
    async def scenario() -> None:
        limits = PartnerLimits(LimitSettings(partner_in_flight=2))
        async with AsyncExitStack() as held:
            await held.enter_async_context(limits.admitted(1))
            await held.enter_async_context(limits.admitted(1))
            with pytest.raises(Problem) as refused:
                await held.enter_async_context(limits.admitted(1))
            assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "1"
            assert refused.value.detail == "At most 2 requests at once per partner: retry in 1 s."
            assert refused.value.localized("fr").detail == (
                "Au plus 2 requêtes à la fois par partenaire : réessayez dans 1 s."
            )
            await held.enter_async_context(limits.admitted(2))  # another partner: admitted
            assert limits.snapshot(1) == (2, 0, 0)
        assert limits.snapshot(1) == (0, 0, 0)
        async with limits.admitted(1):  # the slots came back
            pass

    asyncio.run(scenario())


def test_a_freed_work_slot_goes_to_the_partner_holding_fewest() -> None:
    """Partner 1 floods (holds both slots, 3 more waiting); partner 2 arrives last
    and gets the first slot freed; partner 1's waiters follow in their order."""

    async def scenario() -> None:
        limits = PartnerLimits(LimitSettings(work_slots=2, partner_work_slots=2))
        order: list[str] = []
        releases: dict[str, asyncio.Event] = {}

        async def request(partner: int, name: str) -> None:
            releases[name] = asyncio.Event()
            async with limits.admitted(partner), limits.working(partner):
                order.append(name)
                await releases[name].wait()

        tasks = [asyncio.create_task(request(1, f"a{i}")) for i in range(5)]
        await asyncio.sleep(0)
        tasks.append(asyncio.create_task(request(2, "b0")))
        await asyncio.sleep(0)
        assert order == ["a0", "a1"]
        assert limits.snapshot(1) == (5, 2, 3) and limits.snapshot(2) == (1, 0, 1)
        for name, expected in (("a0", "b0"), ("a1", "a2"), ("b0", "a3"), ("a2", "a4")):
            releases[name].set()
            for _ in range(5):
                await asyncio.sleep(0)
            assert order[-1] == expected
        for name in ("a3", "a4"):
            releases[name].set()
        await asyncio.gather(*tasks)
        assert limits.snapshot(1) == (0, 0, 0) and limits.snapshot(2) == (0, 0, 0)

    asyncio.run(scenario())


def test_one_partner_never_holds_more_than_its_share_of_work_slots() -> None:
    async def scenario() -> None:
        limits = PartnerLimits(LimitSettings(work_slots=4, partner_work_slots=2))
        entered: list[int] = []
        release = asyncio.Event()

        async def request(partner: int) -> None:
            async with limits.admitted(partner), limits.working(partner):
                entered.append(partner)
                await release.wait()

        tasks = [asyncio.create_task(request(1)) for _ in range(4)]
        tasks.append(asyncio.create_task(request(2)))
        for _ in range(3):
            await asyncio.sleep(0)
        assert sorted(entered) == [1, 1, 2]  # a free slot stays free for others
        release.set()
        await asyncio.gather(*tasks)
        assert sorted(entered) == [1, 1, 1, 1, 2]

    asyncio.run(scenario())


def test_a_request_waiting_too_long_for_a_slot_gets_503_and_leaves_no_trace() -> None:
    async def scenario() -> None:
        limits = PartnerLimits(LimitSettings(work_slots=1, queue_seconds=0.01))
        release = asyncio.Event()

        async def holder() -> None:
            async with limits.admitted(1), limits.working(1):
                await release.wait()

        task = asyncio.create_task(holder())
        await asyncio.sleep(0)
        with pytest.raises(Problem) as refused:
            async with limits.admitted(2), limits.working(2):
                pass
        assert refused.value.status == 503 and refused.value.headers == {"Retry-After": "1"}
        assert refused.value.detail == (
            "The service is busy (no capacity freed within 0.01 s): retry shortly."
        )
        in_french = refused.value.localized("fr-CA,fr;q=0.9")
        assert (in_french.code, in_french.title, in_french.headers) == (
            "busy",
            "Service busy",
            {"Retry-After": "1"},
        )
        assert in_french.detail == (
            "Le service est occupé (aucune place libérée en 0,01 s) : réessayez dans un instant."
        )
        assert limits.snapshot(2) == (0, 0, 0)
        release.set()
        await task
        async with limits.admitted(2), limits.working(2):
            assert limits.snapshot(2) == (1, 1, 0)

    asyncio.run(scenario())


def test_limit_settings_from_the_environment() -> None:
    env = {"BLANCHE_API_RATE_PER_SECOND": "5.5", "BLANCHE_API_WORK_SLOTS": "4"}
    limits = LimitSettings.from_env(env)
    assert limits.rate_per_second == 5.5 and limits.work_slots == 4
    assert limits.burst == LimitSettings().burst
    with pytest.raises(SettingsError):
        LimitSettings.from_env({"BLANCHE_API_PARTNER_IN_FLIGHT": "0"})
