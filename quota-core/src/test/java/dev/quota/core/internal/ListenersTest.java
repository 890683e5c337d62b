package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.quota.core.CheckKind;
import dev.quota.core.QuotaListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

    @Test
    void a_cache_lookup_tells_the_listener_of_a_hit_or_a_miss_of_the_check() {
        List<String> heard = new ArrayList<>();
        QuotaListener listener = new QuotaListener() {
            @Override
            public void onCacheHit(CheckKind kind) {
                heard.add("hit " + kind);
            }

            @Override
            public void onCacheMiss(CheckKind kind) {
                heard.add("miss " + kind);
            }
        };

        Listeners.cacheLookup(listener, CheckKind.BALANCE, true);
        Listeners.cacheLookup(listener, CheckKind.SUBSCRIPTION, false);

        assertThat(heard).containsExactly("hit BALANCE", "miss SUBSCRIPTION");
    }

    @Test
    void a_throwing_listener_never_breaks_a_cache_lookup() {
        QuotaListener throwing = new QuotaListener() {
            @Override
            public void onCacheHit(CheckKind kind) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onCacheMiss(CheckKind kind) {
                throw new IllegalStateException("boom");
            }
        };

        assertThatCode(() -> {
            Listeners.cacheLookup(throwing, CheckKind.BALANCE, true);
            Listeners.cacheLookup(throwing, CheckKind.BALANCE, false);
        }).doesNotThrowAnyException();
    }
}
