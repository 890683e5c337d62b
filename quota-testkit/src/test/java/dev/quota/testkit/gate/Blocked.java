package dev.quota.testkit.gate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits until a thread is parked inside a given method, so a test can act while it is there. */
final class Blocked {

    private Blocked() {
    }

    /**
     * Waits until {@code thread} is waiting (parked, in {@code Object.wait} or a timed wait) with a frame of
     * {@code className.methodName} on its stack, or it has ended.
     *
     * @return true when it was seen waiting there, false when it ended first or the safety bound elapsed
     */
    static boolean awaitWaitingIn(Thread thread, String className, String methodName) {
        AtomicBoolean seen = new AtomicBoolean();
        try {
            Awaitility.await("thread " + thread.getName() + " waiting in " + className + "." + methodName)
                    .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        if (waitingIn(thread, className, methodName)) {
                            seen.set(true);
                            return true;
                        }
                        return !thread.isAlive();
                    });
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return seen.get();
    }

    private static boolean waitingIn(Thread thread, String className, String methodName) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().endsWith(className) && frame.getMethodName().equals(methodName)) {
                return true;
            }
        }
        return false;
    }
}
