"""Per-partner limits of the live channel (editor.live.limits), on a fake clock."""

from __future__ import annotations

import asyncio

from editor.live.limits import LiveLimits, PartnerGates


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_sessions_are_counted_per_partner() -> None:
    gates = PartnerGates(LiveLimits(sessions_per_partner=2), Clock())
    assert gates.open_session(1) and gates.open_session(1)
    assert not gates.open_session(1)
    assert gates.open_session(2)  # another partner is not affected
    gates.close_session(1)
    assert gates.open_session(1)


def test_message_rates_per_socket_and_per_partner() -> None:
    clock = Clock()
    limits = LiveLimits(
        messages_per_second=2,
        message_burst=3,
        partner_messages_per_second=3,
        partner_message_burst=4,
    )
    gates = PartnerGates(limits, clock)
    gates.open_session(1)
    first, second = gates.connection_bucket(), gates.connection_bucket()
    assert [gates.admit(1, first) for _ in range(4)] == [True, True, True, False]
    assert gates.admit(1, second)  # the partner's bucket had one left
    assert not gates.admit(1, second)  # now the partner's is empty too
    clock.now += 1.0
    assert gates.admit(1, first) and gates.admit(1, second)


def test_a_partner_past_its_share_of_the_loop_waits_and_others_do_not() -> None:
    clock = Clock()
    gates = PartnerGates(LiveLimits(partner_busy_share=0.5, partner_busy_burst=1.0), clock)
    for partner in (1, 2):
        gates.open_session(partner)
    gates.charge(1, 3.0)  # 3 s of handling: 2 s over its burst
    slept: list[float] = []
    alone: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    async def scenario() -> None:
        original = asyncio.sleep
        asyncio.sleep = fake_sleep  # type: ignore[assignment]
        try:
            await gates.pace(1)  # nobody else is being served: no reason to wait
            alone.extend(slept)
            gates.charge(2, 0.001)  # partner 2 is active now
            await gates.pace(2)
            assert slept == []
            await gates.pace(1)
        finally:
            asyncio.sleep = original

    asyncio.run(scenario())
    assert alone == []
    # Paced (2 s of debt at 0.5 s a second) while partner 2 counts as active: 1 s.
    assert 0.95 <= sum(slept) <= 1.1, slept
