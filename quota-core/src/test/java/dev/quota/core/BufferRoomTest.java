package dev.quota.core;

import static dev.quota.core.WriterFixture.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** A caller blocked in {@code reserve()} on a full room, recording what it throws and its interrupt flag then. */
    private record Blocked(BufferRoom room, Thread caller, AtomicReference<Throwable> thrown, AtomicBoolean flagKept) {
        static Blocked onAFullRoom() {
            BufferRoom room = BufferRoomTest.room(1, null);
            room.reserve();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    room.reserve();
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            awaitUntil("the caller blocks", () -> room.blocked() == 1);
            return new Blocked(room, caller, thrown, flagKept);
        }
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
        Blocked blocked = Blocked.onAFullRoom();
        BufferRoom room = blocked.room();
        assertThat(blocked.caller().isAlive()).isTrue();
        room.use();
        room.free(1);
        blocked.caller().join();
        assertThat(blocked.thrown()).hasValue(null);
        assertThat(room.openSlots()).isEqualTo(1);
        assertThat(room.blocked()).isZero();
    }

    @Test
    void closingWakesTheWaitersWhoThenThrowAndRefusesNewReservations() throws Exception {
        Blocked blocked = Blocked.onAFullRoom();
        BufferRoom room = blocked.room();
        assertThat(room.close()).isTrue();
        blocked.caller().join();
        assertThat(blocked.thrown().get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed while waiting");
        assertThatThrownBy(room::reserve).isInstanceOf(IllegalStateException.class);
        assertThat(room.close()).isFalse();
        assertThat(room.closed()).isTrue();
    }

    @Test
    void anInterruptedWaiterTakesNothingAndKeepsItsFlag() throws Exception {
        Blocked blocked = Blocked.onAFullRoom();
        blocked.caller().interrupt();
        blocked.caller().join();
        assertThat(blocked.thrown().get()).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("interrupted");
        assertThat(blocked.flagKept()).isTrue();
        assertThat(blocked.room().openSlots()).isEqualTo(1);
    }
}
