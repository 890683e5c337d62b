package dev.quota.core;

import java.util.function.Supplier;

/**
 * Test access to {@link UsageEventDoor#unchecked}: builds events the door would refuse, so that tests can see what
 * the database itself does with them (a poison event).
 */
public final class PoisonEvents {

    private PoisonEvents() {
    }

    /**
     * @param build builds the event with the usual builder
     * @return the event, built without the door checks
     */
    public static UsageEvent unchecked(Supplier<UsageEvent> build) {
        return UsageEventDoor.unchecked(build);
    }
}
