package dev.quota.testkit;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import java.time.Instant;

/**
 * The checks and reservations of an {@link InMemoryBillingCache}: reads the needed entries, lets the
 * {@link EligibilityEvaluator} decide, and counts the planned RPM counters (user × group, then user) only when
 * nothing is missing and nothing denies; a reservation also sums the other live holds and records the admitted
 * one.
 *
 * <p>Not thread-safe: the owning cache calls it under its lock.
 */
final class CacheAdmission {

    private final CacheEntryStore entries;
    private final CacheHolds holds;
    private final InMemoryRpmCounter rpm;

    CacheAdmission(CacheEntryStore entries, CacheHolds holds, InMemoryRpmCounter rpm) {
        this.entries = entries;
        this.holds = holds;
        this.rpm = rpm;
    }

    /** @return the view of the check, with RPM counted when complete and allowed */
    CheckView check(CacheCheck check) {
        CheckView view = entries.read(check);
        return check.doomedBy(view) ? view : countRpm(check, view);
    }

    /**
     * Purges the user's expired holds, then admits the hold when it is held already or when every entry is
     * present and the limits cover it beside the other live holds.
     */
    ReserveView reserve(CacheCheck check, Hold hold) {
        CheckRequest request = check.request();
        holds.purgeExpired(request.userId(), check.now());
        CheckView view = entries.read(check);
        Holds held = holds.heldBy(request, hold.holdId());
        if (holds.contains(request.userId(), hold.holdId())) {
            return new ReserveView(view, held, true);
        }
        if (!view.complete()) {
            return new ReserveView(view, held, false);
        }
        if (EligibilityEvaluator.inZone(check.zone())
                .evaluateHold(request, view.toState(), held, hold.estimate().nanos(), check.now()).denied()) {
            return new ReserveView(view, held, false);
        }
        holds.add(request, hold);
        return new ReserveView(countRpm(check, view), held, true);
    }

    private CheckView countRpm(CacheCheck check, CheckView view) {
        CheckRequest request = check.request();
        RpmPlan plan = check.rpmPlan();
        Instant bucket = QuotaWindows.RPM.bucketStart(check.now());
        long group = 0;
        long user = 0;
        if (plan.groupLimit() != null && request.groupId() != null) {
            group = rpm.incrementWithoutFaults(request.userId(), request.groupId(), bucket);
        }
        if (plan.userLimit() != null) {
            user = rpm.incrementWithoutFaults(request.userId(), null, bucket);
        }
        return new CheckView(view.balance(), view.subscription(), view.platformQuota(), view.keyUsage(),
                view.misses(), true, group, user, view.keyModelUsage());
    }
}
