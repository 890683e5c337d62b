package dev.quota.core;

import static dev.quota.core.WriterFixture.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.decision.BackendUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The buffer's room: reserved places count against capacity, a full room blocks or refuses, close wakes waiters. */
class BufferRoomTest {

    private static BufferRoom room(int capacity, Duration maxWait) {
        return new BufferRoom(new ReentrantLock(), capacity, maxWait);
    }

    @Test
    void reservedPlacesCountAgainstCapacityAndABoundedWaitTakesNothing() {
        BufferRoom room = room(2, Duration.ZERO);
        room.reserve();
        room.reserve();
        assertThatThrownBy(room::reserve).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("usage buffer full (2 events)");
        assertThat(room.openSlots()).isEqualTo(2);
        assertThat(room.pending()).isZero();
        assertThat(room.blocked()).isZero();
    }

    @Test
    void aUsedPlaceIsPendingUntilFreedAndACancelledOneIsGivenBack() {
        BufferRoom room = room(2, Duration.ZERO);
        room.reserve();
        room.reserve();
        room.use();
        assertThat(room.pending()).isEqualTo(1);
        assertThat(room.openSlots()).isEqualTo(1);
        room.cancel();
        room.reserve();
        room.free(1);
        assertThat(room.pending()).isZero();
        room.reserve();
        assertThat(room.openSlots()).isEqualTo(2);
    }

    @Test
    void aFullRoomBlocksTheCallerUntilAPlaceIsFreed() throws Exception {
        BufferRoom room = room(1, null);
        room.reserve();
        room.use();
        AtomicBoolean got = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            room.reserve();
            got.set(true);
        });
        caller.start();
        awaitUntil("the caller blocks", () -> room.blocked() == 1);
        assertThat(got).isFalse();
        room.free(1);
        caller.join();
        assertThat(got).isTrue();
        assertThat(room.blocked()).isZero();
    }

    @Test
    void closingWakesTheWaitersWhoThenThrowAndRefusesNewReservations() throws Exception {
        BufferRoom room = room(1, null);
        room.reserve();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                room.reserve();
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        caller.start();
        awaitUntil("the caller blocks", () -> room.blocked() == 1);
        assertThat(room.close()).isTrue();
        caller.join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed while waiting");
        assertThatThrownBy(room::reserve).isInstanceOf(IllegalStateException.class);
        assertThat(room.close()).isFalse();
        assertThat(room.closed()).isTrue();
    }

    @Test
    void anInterruptedWaiterTakesNothingAndKeepsItsFlag() throws Exception {
        BufferRoom room = room(1, null);
        room.reserve();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                room.reserve();
            } catch (BackendUnavailableException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        awaitUntil("the caller blocks", () -> room.blocked() == 1);
        caller.interrupt();
        caller.join();
        assertThat(thrown.get()).hasMessageContaining("interrupted");
        assertThat(flagKept).isTrue();
        assertThat(room.openSlots()).isEqualTo(1);
    }
}
