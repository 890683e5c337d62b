/**
 * Quota's core: the gateway API ({@code dev.quota.core}), the ports a backend implements
 * ({@code dev.quota.core.spi}) and the domain they are built from. {@code dev.quota.core.internal} is not
 * exported: it is the gate's and the writer's implementation, not API.
 */
module dev.quota.core {
    requires org.slf4j;
    requires dev.failsafe.core;

    exports dev.quota.core;
    exports dev.quota.core.account;
    exports dev.quota.core.cache;
    exports dev.quota.core.limit;
    exports dev.quota.core.spi;
    exports dev.quota.core.stats;
    exports dev.quota.core.usage;
    exports dev.quota.core.window;
}
