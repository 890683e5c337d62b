package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The flush protocol's tickets: what a flush waits for and which failed round releases it. */
class FlushTicketsTest {

    private final FlushTickets tickets = new FlushTickets();

    @Test
    void aTicketWaitsUntilEverythingUpToItIsSettled() {
        FlushTickets.Ticket t = tickets.issue(5);
        assertThat(t.waiting(3)).isTrue();
        assertThat(t.waiting(5)).isTrue();
        assertThat(t.waiting(6)).isFalse();
        assertThat(t.waiting(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aFailedRoundReleasesOnlyTheTicketsIssuedBeforeItBegan() {
        FlushTickets.Ticket before = tickets.issue(5);
        long atStart = tickets.issued();
        FlushTickets.Ticket after = tickets.issue(9);
        tickets.roundFailed(4, atStart);
        assertThat(before.failed()).isTrue();
        assertThat(before.waiting(4)).isFalse();
        assertThat(after.failed()).isFalse();
        assertThat(after.waiting(4)).isTrue();
    }

    @Test
    void aFailedRoundOfLaterEventsReleasesNoTicket() {
        FlushTickets.Ticket t = tickets.issue(5);
        tickets.roundFailed(6, tickets.issued());
        assertThat(t.failed()).isFalse();
    }

    @Test
    void ticketsAreNumberedAndARetiredOneNoLongerCounts() {
        assertThat(tickets.anyOpen()).isFalse();
        FlushTickets.Ticket first = tickets.issue(1);
        FlushTickets.Ticket second = tickets.issue(2);
        assertThat(second.number).isEqualTo(first.number + 1);
        assertThat(tickets.issued()).isEqualTo(2);
        tickets.retire(first);
        tickets.retire(second);
        assertThat(tickets.anyOpen()).isFalse();
        tickets.roundFailed(1, 2);
        assertThat(first.failed()).isFalse();
    }
}
