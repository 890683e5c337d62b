package dev.quota.testkit.gate;

import java.util.concurrent.TimeUnit;

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
    static boolean awaitWaitingIn(Thread thread, String className, String methodName) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                for (StackTraceElement frame : thread.getStackTrace()) {
                    if (frame.getClassName().endsWith(className) && frame.getMethodName().equals(methodName)) {
                        return true;
                    }
                }
            }
            Thread.onSpinWait();
            Thread.sleep(1); // polling for a state, not asserting time
        }
        return false;
    }
}
